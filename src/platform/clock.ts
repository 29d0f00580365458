/** Where domain code reads the time, so tests and background work can name the moment they mean. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
