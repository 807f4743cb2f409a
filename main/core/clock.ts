/** Time is passed in, so tests can fix it; ISO strings in UTC are what the database stores. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
