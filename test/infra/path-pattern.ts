/**
 * CloudFront path-pattern matching, as the distribution applies it: case-sensitive, `*` is any
 * run of characters (slashes included), `?` exactly one, a missing leading `/` is implied.
 */
export const matchesPathPattern = (pattern: string, path: string): boolean => {
  const normalized = pattern.startsWith('/') ? pattern : `/${pattern}`;
  const source = [...normalized]
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`).test(path);
};

/** The CloudFront behaviour a request path takes: the first matching pattern, else the default. */
export const behaviourFor = (patterns: readonly string[], path: string): string =>
  patterns.find((pattern) => matchesPathPattern(pattern, path)) ?? 'default';
