import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The language-server benchmark's written protocol (issue 15, "Speed":
 * editing a 300-line protocol keeps the latency targets): the Raft of
 * samples/protocols/raft.dsync grown the way a user grows it, with three
 * extensions from Ongaro's thesis, each behind an option and in use in the
 * scenario: pre-vote (§9.6), leaders that step down without a quorum
 * (check quorum, §6.2) and leadership transfer (TimeoutNow, §3.10). Its
 * scenario is the sample's (five servers, a client, random crashes and
 * partitions, Raft's four safety invariants) run for `runSeconds`.
 *
 * The text is the sample's with lines inserted at anchors; a missing anchor
 * (the sample changed) throws, so the benchmark never silently measures a
 * smaller protocol.
 */
export function grownRaftScenario(root: string, runSeconds: number): { text: string; protocolLines: number } {
  let text = fs.readFileSync(path.join(root, 'samples', 'protocols', 'raft.dsync'), 'utf8');
  const insert = (anchor: string, lines: string, where: 'before' | 'after' | 'replace' = 'after'): void => {
    const at = text.indexOf(anchor);
    if (at < 0 || text.indexOf(anchor, at + 1) >= 0) throw new Error(`grownRaftScenario: the anchor ${JSON.stringify(anchor)} is not once in samples/protocols/raft.dsync`);
    const replacement = where === 'replace' ? lines : where === 'after' ? `${anchor}${lines}` : `${lines}${anchor}`;
    text = text.slice(0, at) + replacement + text.slice(at + anchor.length);
  };
  insert('  var waiting: map<string, node> = {} // on the leader: the client waiting for each operation\n', DECLARATIONS);
  insert('= take(skip(l, i - 1), 32)\n', FUNCTIONS);
  // The election timer now starts a pre-vote; the election itself is the `campaign` timer.
  insert('  on timer election {\n', '  on timer campaign {\n', 'replace');
  insert('  on RequestVote(m) from p {\n', ELECTION_HANDLERS, 'before');
  // A new leader starts its quorum checks and, once, its leadership transfer.
  insert('        timer heartbeat after 0ms\n', LEADER_TIMERS);
  insert('    } else if role == "leader" and m.term == term and m.success {\n', '      heard = heard + { p }\n');
  insert('      timer election after random(election_timeout)\n      if m.prev_log_index > size(log) {\n', '      last_contact = now\n', 'before');
  insert('  // ---- replication: followers', LEADER_HANDLERS, 'before');
  text = text.replace(/^nodes n1\.\.n5 run raft_w \{[^}]*\}$/m, 'nodes n1..n5 run raft_w { election_timeout 50ms..100ms; heartbeat 20ms; transfer_after 200ms }');
  text = text.replace(/^( {2}run for )2s$/m, `$1${runSeconds}s`);
  if (!text.includes('transfer_after 200ms }') || !text.includes(`run for ${runSeconds}s`)) throw new Error('grownRaftScenario: the sample\'s binding or run length changed');
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('protocol raft_w'));
  const end = lines.findIndex((l, i) => i > start && l === '}');
  return { text, protocolLines: end - start + 1 };
}

const ENTRY = '{ index: int, term: int, op_id: string, op: string, key: string, value: string }';

const DECLARATIONS = `
  // ---- extensions (Ongaro's thesis) -------------------------------------------
  option prevote: bool = true // a server first asks whether it could win (§9.6)
  option check_quorum: bool = true // a leader that hears from no majority for an election timeout steps down (§6.2)
  option transfer_after: duration = 0ms // above 0: a leader hands leadership on after this long, once (§3.10)

  message PreVote { term: int, last_log_index: int, last_log_term: int }
  message PreVoteReply { term: int, granted: bool }
  message TimeoutNow { term: int }

  var pre_votes: set<node> = {} // who would vote for this server in the next term
  var heard: set<node> = {} // on the leader: the followers that answered since the last quorum check
  var last_contact: time = 0ms // when this server last heard from a leader, by its own clock
  var transfers: int = 0 // leadership hand-overs this server started
`;

const FUNCTIONS = `  // A log ending at (index, t) is at least as up to date as l (§5.4.1).
  fn up_to_date(l: list<${ENTRY}>, index: int, t: int): bool = t > last_term(l) or (t == last_term(l) and index >= size(l))
`;

const ELECTION_HANDLERS = `  // Pre-vote: a server that timed out asks first whether a majority would vote
  // for it in the next term, so a server cut off by a partition cannot raise
  // the term of a working cluster when it comes back.
  on timer election {
    if role != "leader" {
      if prevote {
        pre_votes = { self }
        note "pre-candidate (term {term + 1})"
        timer election after random(election_timeout)
        broadcast PreVote { term: term + 1, last_log_index: size(log), last_log_term: last_term(log) }
      } else {
        timer campaign after 0ms
      }
    }
  }

  // Granted only by a server that has not heard from a leader for an election
  // timeout, to a log at least as up to date as its own; it changes no state.
  on PreVote(m) from p {
    let quiet = leader == none or now - last_contact >= election_timeout.low
    let granted = m.term > term and quiet and up_to_date(log, m.last_log_index, m.last_log_term)
    reply PreVoteReply { term: m.term, granted: granted }
  }

  on PreVoteReply(m) from p {
    if role != "leader" and m.term == term + 1 and m.granted {
      pre_votes = pre_votes + { p }
      if size(pre_votes) >= majority(size(members)) {
        pre_votes = {}
        note "pre-vote won for term {m.term}"
        cancel election
        timer campaign after 0ms
      }
    }
  }

  // Leadership transfer: the follower told to stand starts its election now.
  on TimeoutNow(m) from p {
    if m.term == term and role == "follower" {
      note "{p} hands leadership to this server"
      cancel election
      timer campaign after 0ms
    }
  }

`;

const LEADER_TIMERS = `        heard = {}
        if check_quorum {
          timer quorum_check after election_timeout.high
        }
        if transfer_after > 0ms and transfers == 0 {
          timer transfer after transfer_after
        }
`;

const LEADER_HANDLERS = `  // Check quorum: a leader that heard from no majority within an election
  // timeout steps down, so clients stop waiting on a leader that cannot commit.
  on timer quorum_check {
    if role == "leader" {
      if size(heard + { self }) < majority(size(members)) {
        role = "follower"
        leader = none
        note "steps down: heard from {size(heard)} of {size(members) - 1} followers"
        timer election after random(election_timeout)
      } else {
        heard = {}
        timer quorum_check after election_timeout.high
      }
    }
  }

  // Leadership transfer: to a follower whose log is complete, if there is one.
  on timer transfer {
    if role == "leader" {
      let target: node? = none
      for q in members - { self } {
        if target == none and match_index[q] == size(log) {
          target = q
        }
      }
      if target != none {
        transfers = transfers + 1
        note "hands leadership to {target}"
        send TimeoutNow { term: term } to target
      }
    }
  }

`;
