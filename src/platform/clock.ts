/** Time comes from here so that tests can move it (lockouts, session timeouts, TOTP steps). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export class FakeClock implements Clock {
  #t: number;
  constructor(start: Date | string = '2026-06-01T02:00:00Z') {
    this.#t = new Date(start).getTime();
  }
  now() {
    return new Date(this.#t);
  }
  advance(ms: number) {
    this.#t += ms;
  }
  set(t: Date | string) {
    this.#t = new Date(t).getTime();
  }
}
