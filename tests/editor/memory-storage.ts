// A localStorage stand-in for unit tests (Vitest runs in Node).
export class MemoryStorage {
  private data = new Map<string, string>();
  failWrites = false;
  get length(): number {
    return this.data.size;
  }
  key(i: number): string | null {
    return [...this.data.keys()][i] ?? null;
  }
  getItem(k: string): string | null {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    if (this.failWrites) throw new DOMException('quota', 'QuotaExceededError');
    this.data.set(k, String(v));
  }
  removeItem(k: string): void {
    this.data.delete(k);
  }
  keys(): string[] {
    return [...this.data.keys()];
  }
}
