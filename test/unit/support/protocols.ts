/** The written protocol of issue 15's example, with a binding and a property: parser and formatter tests read it. */
export const LEADER_ELECTION = `protocol leader_election {
  option timeout: duration range = 150ms..300ms
  message RequestVote { term: int }
  message Vote { term: int }

  stable term: int = 0                 // survives a crash (the node's disk)
  stable voted_for: node? = none
  var role: "follower" | "candidate" | "leader" = "follower"   // lost on crash
  var votes: set<node> = {}

  on start { timer election after random(timeout) }
  on timer election {
    term = term + 1; role = "candidate"; votes = {self}; voted_for = self
    broadcast RequestVote { term: term }
    timer election after random(timeout)
  }
  on RequestVote(m) from p when m.term > term or (m.term == term and voted_for in {none, p}) {
    term = m.term; voted_for = p; role = "follower"
    reply Vote { term: m.term }
  }
  on Vote(m) from p when role == "candidate" and m.term == term {
    votes = votes + {p}
    if size(votes) > size(members) / 2 { role = "leader"; note "leader of term {term}" }
  }
}
nodes n1..n5 run leader_election { timeout 150ms..300ms }
invariant one_leader_per_term: always forall a, b in leader_election: a.role == "leader" and b.role == "leader" and a.term == b.term implies a == b
`;
