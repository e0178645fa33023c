import { request } from "node:http";
import { randomBytes } from "node:crypto";
import type { Socket } from "node:net";

/**
 * A minimal WebSocket client (RFC 6455, receive side: unmasked text frames from a server), so a
 * test can follow Microsoft 365 Agents Playground's conversation stream without another dependency.
 */
export class WsClient {
  readonly messages: unknown[] = [];
  private socket: Socket | undefined;
  private buffer = Buffer.alloc(0);
  private listeners: (() => void)[] = [];

  static async connect(url: string): Promise<WsClient> {
    const client = new WsClient();
    const u = new URL(url);
    await new Promise<void>((resolve, reject) => {
      const req = request({
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        headers: { Connection: "Upgrade", Upgrade: "websocket", "Sec-WebSocket-Key": randomBytes(16).toString("base64"), "Sec-WebSocket-Version": "13" },
      });
      req.on("upgrade", (_res, socket, head) => {
        client.socket = socket;
        socket.on("data", (d: Buffer) => client.onData(d));
        if (head.length) client.onData(head);
        resolve();
      });
      req.on("response", (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
      req.on("error", reject);
      req.end();
    });
    return client;
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.buffer.length < 2) return;
      const opcode = this.buffer[0]! & 0x0f;
      let len = this.buffer[1]! & 0x7f;
      let offset = 2;
      if (len === 126) {
        if (this.buffer.length < 4) return;
        len = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (len === 127) {
        if (this.buffer.length < 10) return;
        len = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (this.buffer.length < offset + len) return;
      const payload = this.buffer.subarray(offset, offset + len);
      this.buffer = this.buffer.subarray(offset + len);
      if (opcode === 1) {
        try {
          this.messages.push(JSON.parse(payload.toString("utf8")));
        } catch {
          this.messages.push(payload.toString("utf8"));
        }
        for (const l of this.listeners.splice(0)) l();
      }
    }
  }

  /** Waits for a message matching `pred` (already received or arriving within `ms`). */
  async waitFor<T = any>(pred: (m: any) => boolean, ms = 15_000): Promise<T> {
    // A monotonic clock: waiting must not depend on the wall clock (or on a test that moves it).
    const until = performance.now() + ms;
    for (;;) {
      const found = this.messages.find(pred);
      if (found) return found as T;
      if (performance.now() > until) throw new Error(`no matching WebSocket message in ${ms} ms (got ${this.messages.length})`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 200);
        this.listeners.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.socket?.destroy();
  }
}
