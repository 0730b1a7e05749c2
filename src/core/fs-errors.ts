/** File-system errors in words, for messages (the reader, the manifest loader, import-inventory; the walk says what to do as well). */

/** What could not be read in a file, from the errno code: said once, in words, with the code in brackets. */
export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const words: Record<string, string> = {
    ENOENT: 'no such file or folder',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ELOOP: 'a symbolic link loop',
    EISDIR: 'a folder, not a file',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EMFILE: 'too many open files',
    EIO: 'an input/output error',
  };
  const said = e?.code !== undefined ? words[e.code] : undefined;
  if (said !== undefined) return `${said} (${e.code})`;
  // Node's own message already starts with the code ("EBUSY: resource busy, open '/x'"): keep it, without the path.
  return (e?.message ?? String(err)).replace(/, \w+ '[^']*'$/, '');
}
