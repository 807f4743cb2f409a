/**
 * Deep merge of message trees: each feature keeps its wording in its own file and may add keys
 * inside shared groups (e.g. `audit.actions.<its actions>`). The same key defined twice is a bug
 * (one file would silently win), so it throws, naming the key.
 */
/** Leaves are strings, or lists of strings (a few texts are lists: the SSO wizard's steps). */
type Leaf = string | readonly string[];
export type MessageTree = { readonly [key: string]: Leaf | MessageTree };
const isLeaf = (v: unknown): v is Leaf => typeof v === 'string' || Array.isArray(v);

export function mergeMessages(...trees: MessageTree[]): MessageTree {
  const out: Record<string, Leaf | MessageTree> = {};
  const into = (target: Record<string, Leaf | MessageTree>, tree: MessageTree, path: string) => {
    for (const [key, value] of Object.entries(tree)) {
      const here = target[key];
      const at = path ? `${path}.${key}` : key;
      if (here === undefined) {
        target[key] = isLeaf(value) ? value : into({}, value, at);
      } else if (!isLeaf(here) && !isLeaf(value)) {
        into(here as Record<string, Leaf | MessageTree>, value as MessageTree, at);
      } else {
        throw new Error(`The message "${at}" is defined twice.`);
      }
    }
    return target;
  };
  for (const tree of trees) into(out, tree, '');
  return out;
}
