export class InvalidSubredditNameError extends Error {
  override readonly name = 'InvalidSubredditNameError';
}

// Letters, digits and underscores, not starting with an underscore; 2-21 characters (a few old
// subreddits such as r/tv and r/de have two).
const SUBREDDIT_NAME = /^[A-Za-z0-9][A-Za-z0-9_]{1,20}$/;

/**
 * The bare subreddit name from `programming`, `r/programming` or `/r/programming/`; throws
 * InvalidSubredditNameError for anything else, so user input never shapes the request path.
 */
export function parseSubredditName(input: string): string {
  const name = input
    .trim()
    .replace(/^\/?r\//i, '')
    .replace(/\/$/, '');
  if (!SUBREDDIT_NAME.test(name)) {
    throw new InvalidSubredditNameError(`not a subreddit name: ${JSON.stringify(input.slice(0, 40))}`);
  }
  return name;
}
