/**
 * Finds where HTTP/1.1 requests end in the bytes a client sends on one
 * connection, so that every request on a keep-alive connection counts once,
 * whatever its body says. Heads end at a blank line; bodies are framed by
 * Content-Length or by chunked transfer encoding (RFC 9112 §6).
 */
const HEAD_END = Buffer.from("\r\n\r\n");
const LINE_END = Buffer.from("\r\n");

type State =
  | { reading: "head" }
  | { reading: "body"; left: number }
  | { reading: "chunk-size" }
  | { reading: "chunk-data"; left: number }
  | { reading: "trailer" };

export class RequestCounter {
  #pending: Buffer = Buffer.alloc(0);
  #state: State = { reading: "head" };
  #headsRead = 0;

  /** Feeds one chunk of client bytes; returns how many request heads were completed by it. */
  feed(chunk: Buffer): number {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const before = this.#headsRead;
    while (this.#step()) {
      // Each step consumes one framing element; stop when the bytes for the next are not there yet.
    }
    return this.#headsRead - before;
  }

  /** Consumes one framing element if the bytes for it are there; false when more bytes are needed. */
  #step(): boolean {
    const state = this.#state;
    switch (state.reading) {
      case "head":
        return this.#readHead();
      case "body":
      case "chunk-data":
        return this.#skipBody(state);
      case "chunk-size":
        return this.#readChunkSize();
      case "trailer":
        return this.#readTrailerLine();
    }
  }

  #readHead(): boolean {
    const end = this.#pending.indexOf(HEAD_END);
    if (end < 0) return false;
    const head = this.#pending.subarray(0, end).toString("latin1");
    this.#pending = this.#pending.subarray(end + HEAD_END.length);
    this.#headsRead += 1;
    if (/^transfer-encoding:.*chunked/im.test(head)) {
      this.#state = { reading: "chunk-size" };
    } else {
      const length = Number(/^content-length:\s*(\d+)/im.exec(head)?.[1] ?? 0);
      this.#state = length > 0 ? { reading: "body", left: length } : { reading: "head" };
    }
    return true;
  }

  #skipBody(state: { reading: "body" | "chunk-data"; left: number }): boolean {
    if (this.#pending.length === 0) return false;
    const taken = Math.min(state.left, this.#pending.length);
    this.#pending = this.#pending.subarray(taken);
    const left = state.left - taken;
    if (left > 0) {
      this.#state = { ...state, left };
      return true;
    }
    this.#state = state.reading === "body" ? { reading: "head" } : { reading: "chunk-size" };
    // Chunk data is followed by CRLF, which the next chunk-size line read skips as an empty line.
    return true;
  }

  #readChunkSize(): boolean {
    const line = this.#takeLine();
    if (line === undefined) return false;
    if (line === "") return true;
    const size = Number.parseInt(line.split(";")[0] ?? "0", 16);
    this.#state = size > 0 ? { reading: "chunk-data", left: size } : { reading: "trailer" };
    return true;
  }

  #readTrailerLine(): boolean {
    const line = this.#takeLine();
    if (line === undefined) return false;
    if (line === "") this.#state = { reading: "head" };
    return true;
  }

  #takeLine(): string | undefined {
    const end = this.#pending.indexOf(LINE_END);
    if (end < 0) return undefined;
    const line = this.#pending.subarray(0, end).toString("latin1");
    this.#pending = this.#pending.subarray(end + LINE_END.length);
    return line;
  }
}
