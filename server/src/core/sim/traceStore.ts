import type { SourceRange } from '../source';
import { ByteArena } from './byteArena';
import { Column } from './column';
import type { Hlc } from './hlc';
import { EVENT_KINDS, type DropReason, type EventKind, type TraceEvent } from './trace';
import {
  AUX_MASK, AUX_RECORD, AUX_SEND, DETAIL_DUPLICATE, DETAIL_MASK, DETAIL_NONE, DETAIL_OF_MESSAGE, DETAIL_OWN, DETAIL_SHIFT, FROM_MESSAGE, HAS_HLC, HAS_MSG, HAS_VC,
  KIND_CODE, KIND_MASK, MAX_NODES, NODE_SHIFT, REASON_CODE, REASON_MASK, REASON_SHIFT, REASONS,
} from './traceHeader';
import { TraceInterner } from './traceInterner';
import { BLOCK, BLOCK_MASK, BLOCK_SHIFT, Chain, Decoded, HLC_C_LIMIT, RECORD_BYTES, RECORD_NUMBERS } from './traceRecord';
import { TraceValues } from './traceValues';
import { TraceVectors } from './traceVectors';
import { arrayView } from './traceView';

/**
 * The recorded trace, stored by columns and bytes instead of an object, a
 * vector clock and an array of strings per event. Recording a long run used
 * to cost several hundred bytes and half a dozen long-lived objects per
 * event, which made the garbage collector, not the simulation, the cost of
 * recording and ran out of memory around ten million events.
 *
 * Per event: a header word (kind, drop reason, how its text, message and
 * clocks are found, and its node: `kindAt`/`nodeAt` read only it) and a
 * record of variable-length numbers in a byte arena (byteArena.ts), most of
 * them a byte or two: true time as its difference from the previous event's,
 * the local clock reading from true time, the Lamport clock from the previous
 * event's, the HLC (2c alone when l is the reading, else 1, l from the reading and c), where the node's vector clock is
 * and its own entry (from that vector's), the site (statement range, label
 * and protocol, interned: a run has few), the message id from the previous
 * event's, and where its own text is. Records come in blocks of BLOCK events
 * whose first record starts from zeros, so reading an event decodes at most
 * BLOCK records (and reading events in order decodes each once).
 * - Vector clocks: a node's entries other than its own change only when it
 *   receives news, so a node's full vector is written again only then
 *   (sends, local events and notes reuse the last one).
 * - Message events: a receive, drop or duplicate takes its peer, cause and
 *   text from its send (one per message: its seq and receiver), so only the
 *   message id is stored; anything that does not follow that pattern is
 *   stored as it is.
 * - Text and note data are kept only for the events that have their own, as
 *   variable-length words in a second arena (traceValues.ts): a text as its
 *   interned template and its numbers, data as an interned record. A send
 *   finds them through its message, any other event through its record. A
 *   receive shows its send's summary without a copy.
 * Every number comes back exactly (one that is no small integer difference
 * is stored as its float64 bits).
 *
 * `event(seq)` builds the TraceEvent the engine would have made, field for
 * field (same values, same field order); `view()` is the trace as a
 * read-only array of such events, for code that reads `result.events`.
 */
export class TraceStore {
  /** Per event, its header word (H_* below). */
  private readonly headers = Column.int32();
  private count = 0;
  /** Per event, its record; per block of BLOCK events, where its first record starts. */
  private readonly records = new ByteArena();
  private readonly blockAt = Column.int32();
  /** The fields the next record is written relative to (reset at each block). */
  private previous = new Chain();
  /** Full vector clocks, written when a node's entries other than its own change (traceVectors.ts). */
  private readonly vectors: TraceVectors;
  private messages = 0;
  /** Per message id: its send's seq + 1 (0: unknown), and its receiver. */
  private readonly msgSend = Column.int32();
  private readonly msgTo = Column.int32();
  /** Per message id, where its send's text and data start (when the send has some). */
  private readonly msgAux = Column.int32();
  /** How many message ids `msgAux` covers. */
  private msgAuxLength = 0;
  /** Texts and data of the events that have their own: two values each (traceValues.ts writeBytes). */
  private readonly aux = new ByteArena();
  private readonly values = new TraceValues();
  /** Peers and causes that are not the message's, by `seq * 2 + field`. */
  private readonly odd = new Map<number, number>();
  private readonly interner = new TraceInterner();
  /** The last record decoded, and the reader's chain there: reading the next event of its block continues from it. */
  private readonly decoded = new Decoded();
  /** The numbers of the record being appended, and their bases. */
  private readonly bases = new Float64Array(RECORD_NUMBERS);
  private readonly values64 = new Float64Array(RECORD_NUMBERS);
  private viewCache: readonly TraceEvent[] | undefined;

  constructor(width: number) {
    if (width >= MAX_NODES) throw new Error(`a recorded trace holds at most ${MAX_NODES - 1} nodes`);
    this.vectors = new TraceVectors(width);
  }

  get length(): number {
    return this.count;
  }

  /**
   * About how many bytes the store holds, kept as it grows (the engine asks
   * after every step): the headers, records and texts written, the vector
   * clocks and messages, and an estimate of the side tables.
   */
  get bytes(): number {
    return 4 * this.count + this.records.used + (4 * this.count) / BLOCK + this.vectors.bytes + MESSAGE_BYTES * this.messages + 4 * this.msgAuxLength + this.aux.used + this.values.bytes + ODD_ENTRY_BYTES * this.odd.size + this.interner.bytes;
  }

  /**
   * Appends event `seq` (which must be the store's length): the fields the
   * engine gives an event, `vc` the node's vector clock now (empty for an
   * environment event) and `hlc` its HLC (undefined for one). The fields of
   * TraceEvent come one by one, so that recording makes no object per event.
   */
  append(
    seq: number, time: number, node: number, local: number, kind: EventKind, lamport: number, vc: Int32Array, hlc: Hlc | undefined, range: SourceRange,
    msg: number | undefined, peer: number | undefined, label: string | undefined, cause: number | undefined, reason: DropReason | undefined,
    protocol: string | undefined, detail: string | undefined, data: TraceEvent['data'] | undefined,
  ): void {
    if (seq !== this.count) throw new Error(`trace event ${seq} appended as event ${this.count}`);
    let header = KIND_CODE.get(kind)! | (reason === undefined ? 0 : REASON_CODE[reason]! << REASON_SHIFT) | ((node + 1) << NODE_SHIFT);
    const r = this.records;
    const p = this.previous;
    if ((seq & BLOCK_MASK) === 0) {
      r.reserve(BLOCK * RECORD_BYTES);
      this.blockAt.set(seq >>> BLOCK_SHIFT, r.position);
      p.reset();
    }
    // The record's numbers and what each is written relative to, written in one call at the end.
    const bases = this.bases;
    const values = this.values64;
    let n = 0;
    bases[n] = p.time;
    values[n++] = time;
    bases[n] = time;
    values[n++] = local;
    bases[n] = p.lamport;
    values[n++] = lamport;
    p.time = time;
    p.lamport = lamport;
    if (hlc !== undefined) {
      header |= HAS_HLC;
      const c = hlc.c;
      if (Object.is(hlc.l, local) && (c | 0) === c && c >= 0 && c < HLC_C_LIMIT && (c !== 0 || 1 / c > 0)) {
        // Most events: l is the reading itself, one even number 2c says so.
        bases[n] = 0;
        values[n++] = 2 * c;
      } else {
        bases[n] = 0;
        values[n++] = 1;
        bases[n] = local;
        values[n++] = hlc.l;
        bases[n] = 0;
        values[n++] = c;
      }
    }
    if (vc.length > 0 && node >= 0) {
      header |= HAS_VC;
      const vector = this.vectors.vectorFor(node, vc);
      bases[n] = p.vector;
      values[n++] = vector;
      bases[n] = this.vectors.lastOwnOf(node);
      values[n++] = vc[node]!;
      p.vector = vector;
    }
    bases[n] = 0;
    values[n++] = this.interner.site(range, label, protocol);
    if (msg !== undefined) {
      header |= HAS_MSG;
      bases[n] = p.msg;
      values[n++] = msg;
      p.msg = msg;
    }
    let sendSeq = -1;
    if (msg !== undefined && msg >= 0) {
      sendSeq = this.msgSend.peek(msg) - 1;
      if (sendSeq < 0 && kind === 'send' && peer !== undefined && cause === undefined) {
        // The message's first event: every later event of it finds its peer, cause and text here.
        this.msgSend.set(msg, seq + 1);
        this.messages++;
        this.msgTo.set(msg, peer);
        sendSeq = seq;
      }
    }
    // (A send that is its message's first event is its own peer's source: its header is not written yet.)
    if (sendSeq >= 0 && (sendSeq === seq || peer === this.messagePeer(msg!, sendSeq, node)) && cause === (kind === 'send' ? undefined : sendSeq)) header |= FROM_MESSAGE;
    else {
      if (peer !== undefined) this.odd.set(seq * 2 + ODD_PEER, peer);
      if (cause !== undefined) this.odd.set(seq * 2 + ODD_CAUSE, cause);
    }
    let detailMode = DETAIL_NONE;
    if (detail === undefined) detailMode = DETAIL_NONE;
    else if (detail === DUPLICATE_COPY) detailMode = DETAIL_DUPLICATE;
    else if (sendSeq >= 0 && sendSeq !== seq && this.hasOwnDetail(sendSeq, msg!, detail)) detailMode = DETAIL_OF_MESSAGE;
    else detailMode = DETAIL_OWN;
    header |= detailMode << DETAIL_SHIFT;
    if (detailMode === DETAIL_OWN || data !== undefined) {
      const at = this.values.writeBytes(detailMode === DETAIL_OWN ? detail : undefined, data, this.aux);
      if (sendSeq === seq) {
        // A send's text is read at each of its receives (hasOwnDetail): found by its message, without decoding its record.
        header |= AUX_SEND;
        this.msgAux.set(msg!, at);
        this.msgAuxLength = Math.max(this.msgAuxLength, msg! + 1);
      } else {
        header |= AUX_RECORD;
        bases[n] = p.aux;
        values[n++] = at;
        p.aux = at;
      }
    }
    r.putNumbers(bases, values, n);
    this.headers.set(seq, header);
    this.count++;
  }

  /** Event `seq` as the engine made it; undefined outside the trace. */
  event(seq: number): TraceEvent | undefined {
    if (!(seq >= 0 && seq < this.count)) return undefined;
    const header = this.headers.get(seq);
    const d = this.decode(seq);
    const kind = EVENT_KINDS[header & KIND_MASK]!;
    const node = (header >>> NODE_SHIFT) - 1;
    const msg = header & HAS_MSG ? d.msg : undefined;
    let peer: number | undefined;
    let cause: number | undefined;
    let sendSeq = -1;
    if (msg !== undefined && msg >= 0) sendSeq = this.msgSend.peek(msg) - 1;
    if (header & FROM_MESSAGE) {
      peer = this.messagePeer(msg!, sendSeq, node);
      cause = kind === 'send' ? undefined : sendSeq;
    } else {
      peer = this.odd.get(seq * 2 + ODD_PEER);
      cause = this.odd.get(seq * 2 + ODD_CAUSE);
    }
    const aux = this.auxPosition(header, d.aux, msg);
    let detail: string | undefined;
    let data: TraceEvent['data'] | undefined;
    if (aux >= 0) {
      this.aux.seek(aux);
      const own = this.values.readBytes(this.aux) as string | undefined;
      data = this.values.readBytes(this.aux) as TraceEvent['data'] | undefined;
      if (((header & DETAIL_MASK) >>> DETAIL_SHIFT) === DETAIL_OWN) detail = own;
    }
    switch ((header & DETAIL_MASK) >>> DETAIL_SHIFT) {
      case DETAIL_DUPLICATE: detail = DUPLICATE_COPY; break;
      case DETAIL_OF_MESSAGE: detail = this.ownDetail(sendSeq, msg!); break;
      default: break;
    }
    return {
      seq,
      time: d.time,
      node,
      local: d.local,
      kind,
      lamport: d.lamport,
      vc: header & HAS_VC ? this.vectors.vector(d.vector, d.own, node) : EMPTY_VC,
      hlc: header & HAS_HLC ? { l: d.hlcL, c: d.hlcC } : undefined,
      range: this.interner.siteRange(d.site),
      msg,
      peer,
      label: this.interner.siteLabel(d.site),
      cause,
      reason: REASONS[(header & REASON_MASK) >>> REASON_SHIFT],
      protocol: this.interner.siteProtocol(d.site),
      detail,
      data,
    };
  }

  /** Event `seq`'s kind, without building the event (seq within the trace). */
  kindAt(seq: number): EventKind {
    return EVENT_KINDS[this.headers.get(seq) & KIND_MASK]!;
  }

  /** Event `seq`'s node (−1: an environment event) without building the event; −2 outside the trace. */
  nodeAt(seq: number): number {
    if (!(seq >= 0 && seq < this.count)) return -2;
    return (this.headers.get(seq) >>> NODE_SHIFT) - 1;
  }

  /** Event `seq`'s statement range, without building the event (seq within the trace). */
  rangeAt(seq: number): SourceRange {
    return this.interner.siteRange(this.decode(seq).site);
  }

  /** Event `seq`'s site (statement range, label and protocol, interned: a run has few), without building the event. */
  siteAt(seq: number): number {
    return this.decode(seq).site;
  }

  /** A site's statement range (see siteAt). */
  siteRange(site: number): SourceRange {
    return this.interner.siteRange(site);
  }

  /** The trace as a read-only array of events, built on access (arrayView). */
  view(): readonly TraceEvent[] {
    return (this.viewCache ??= arrayView(this));
  }

  // ---- fields -----------------------------------------------------------------

  /**
   * Event `seq`'s record, decoded: from the start of its block, or on from
   * the last one decoded when that is an earlier event of the same block.
   */
  private decode(seq: number): Decoded {
    const d = this.decoded;
    const r = this.records;
    let from: number;
    if (d.seq >= 0 && d.seq <= seq && d.seq >>> BLOCK_SHIFT === seq >>> BLOCK_SHIFT) {
      if (d.seq === seq) return d;
      r.seek(d.next);
      from = d.seq + 1;
    } else {
      from = seq & ~BLOCK_MASK;
      r.seek(this.blockAt.get(seq >>> BLOCK_SHIFT));
      d.reset();
    }
    for (let s = from; s <= seq; s++) {
      const header = this.headers.get(s);
      d.time = r.getNumber(d.time);
      d.local = r.getNumber(d.time);
      d.lamport = r.getNumber(d.lamport);
      if (header & HAS_HLC) {
        const packed = r.getNumber(0);
        if (packed === 1) {
          d.hlcL = r.getNumber(d.local);
          d.hlcC = r.getNumber(0);
        } else {
          d.hlcL = d.local;
          d.hlcC = packed / 2;
        }
      }
      if (header & HAS_VC) {
        d.vector = r.getNumber(d.vector);
        // The own entry is relative to its vector's: read only for the event asked for.
        if (s === seq) d.own = r.getNumber(this.vectors.entry(d.vector, (header >>> NODE_SHIFT) - 1));
        else r.skipNumber();
      }
      d.site = r.getNumber(0);
      if (header & HAS_MSG) d.msg = r.getNumber(d.msg);
      if ((header & AUX_MASK) === AUX_RECORD) d.aux = r.getNumber(d.aux);
    }
    d.seq = seq;
    d.next = r.readPosition;
    return d;
  }

  /** The other end of message `msg` as seen from `node`: its receiver from the sender, its sender from anyone else. */
  private messagePeer(msg: number, sendSeq: number, node: number): number {
    const from = (this.headers.get(sendSeq) >>> NODE_SHIFT) - 1;
    return node === from ? this.msgTo.get(msg) : from;
  }

  /** Where an event's own text and data start in `aux` (its header, the aux position of its record, its message), or −1. */
  private auxPosition(header: number, recordAux: number, msg: number | undefined): number {
    switch (header & AUX_MASK) {
      case AUX_RECORD: return recordAux;
      case AUX_SEND: return this.msgAux.get(msg!);
      default: return -1;
    }
  }

  /** The text send `seq` of message `msg` holds itself (its summary), if any: a send's text is found by its message. */
  private ownDetail(seq: number, msg: number): string | undefined {
    if (((this.headers.get(seq) & DETAIL_MASK) >>> DETAIL_SHIFT) !== DETAIL_OWN) return undefined;
    this.aux.seek(this.msgAux.get(msg));
    return this.values.readBytes(this.aux) as string;
  }

  /** Whether send `seq` of message `msg` holds the text `detail` itself: compared where it is stored, without building it. */
  private hasOwnDetail(seq: number, msg: number, detail: string): boolean {
    if (((this.headers.get(seq) & DETAIL_MASK) >>> DETAIL_SHIFT) !== DETAIL_OWN) return false;
    this.aux.seek(this.msgAux.get(msg));
    return this.values.isTextBytes(this.aux, detail);
  }
}

const EMPTY_VC = new Int32Array(0);
const DUPLICATE_COPY = 'duplicate copy';
const ODD_PEER = 0;
const ODD_CAUSE = 1;
/** An estimate of V8's cost of a side-map entry. */
const ODD_ENTRY_BYTES = 40;
/** A message's send seq and receiver. */
const MESSAGE_BYTES = 8;
