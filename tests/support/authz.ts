import type { Harness, TestUser } from './harness.ts';

/**
 * Each domain says, for each of its routes, how to aim that route at a record of ANOTHER county
 * (the "foreign" county), so the authorisation matrix (tests/authz-matrix.test.ts) can check that a
 * user of the home county with the route's permission gets 403/404 and none of the foreign data.
 * A route without an entry fails the matrix: a new route cannot ship without its check.
 */
export type ForeignWorld = {
  h: Harness;
  /** The foreign county (江山市) and things in it. */
  countyId: string;
  townshipId: string;
  user: TestUser;
  /** The home county (柯城区). */
  homeCountyId: string;
  homeTownshipId: string;
};

export type Probe =
  /** The request names a foreign record: expect 403 or 404, and none of `secrets` in the body. */
  | { kind: 'foreign'; params?: Record<string, string>; query?: Record<string, string>; body?: unknown; secrets: string[] }
  /** A list or search: any status, but none of `secrets` (foreign ids, names) in the body. */
  | { kind: 'no-leak'; params?: Record<string, string>; query?: Record<string, string>; body?: unknown; secrets: string[] }
  /** Not about any county's records; the reason is required. */
  | { kind: 'not-jurisdictional'; reason: string; params?: Record<string, string>; body?: unknown };

export type AuthzFixtures = Record<string, (w: ForeignWorld) => Promise<Probe> | Probe>;
