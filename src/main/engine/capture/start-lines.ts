/**
 * The HTTP start lines kept for the packet list's Info column (frame → "GET /ocsp HTTP/1.1"), as
 * one string and two integer columns instead of a Map of 100,000 strings: a finished analysis
 * crosses one or two threads, and copying such a Map took 25–40 ms each time; these columns move
 * as a string and two transferred buffers.
 */
const INITIAL_LINES = 1024;

export class StartLines {
  /** lines kept */
  size = 0;
  /** frame of each line, ascending (lines are kept in file order) */
  frames = new Int32Array(INITIAL_LINES);
  /** where each line ends in `text` (it starts where the one before ends) */
  ends = new Int32Array(INITIAL_LINES);
  text = '';

  /** Keeps `line` for `frame`, a frame after every frame kept so far. */
  add(frame: number, line: string): void {
    if (this.size === this.frames.length) this.grow();
    this.text += line;
    this.frames[this.size] = frame;
    this.ends[this.size] = this.text.length;
    this.size += 1;
  }

  /** The start line kept for `frame`, or undefined. */
  get(frame: number): string | undefined {
    let low = 0;
    let high = this.size - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const found = this.frames[middle]!;
      if (found === frame) return this.text.slice(middle === 0 ? 0 : this.ends[middle - 1], this.ends[middle]);
      if (found < frame) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }

  /** Every [frame, line], in frame order. */
  *[Symbol.iterator](): IterableIterator<[number, string]> {
    for (let index = 0; index < this.size; index++) yield [this.frames[index]!, this.get(this.frames[index]!)!];
  }

  /** The columns' buffers, to transfer with a message (the other side rebuilds with `from`). */
  buffers(): ArrayBuffer[] {
    return [this.frames.buffer as ArrayBuffer, this.ends.buffer as ArrayBuffer];
  }

  /** A StartLines again from what crossed a thread (a plain object with the same fields). */
  static from(plain: Pick<StartLines, 'size' | 'frames' | 'ends' | 'text'>): StartLines {
    return Object.assign(new StartLines(), { size: plain.size, frames: plain.frames, ends: plain.ends, text: plain.text });
  }

  private grow(): void {
    const frames = new Int32Array(this.frames.length * 2);
    frames.set(this.frames);
    this.frames = frames;
    const ends = new Int32Array(this.ends.length * 2);
    ends.set(this.ends);
    this.ends = ends;
  }
}
