import { describe, expect, it } from 'vitest';
import { interpret, type Simulation } from './interpreter.ts';

const exits = (after: number, code: number, lines: Simulation['lines'] = []): Simulation => ({ lines, outcome: { kind: 'exits', after, code } });
const forever = (lines: Simulation['lines'] = []): Simulation => ({ lines, outcome: { kind: 'runsForever' } });
const out = (at: number, text: string) => ({ at, stream: 'stdout' as const, text });
const err = (at: number, text: string) => ({ at, stream: 'stderr' as const, text });

describe('interpret', () => {
  it.each<[string, string[] | undefined, string[] | undefined, Simulation]>([
    ['no command: the image entrypoint runs forever', undefined, undefined, forever()],
    ['sleep N', ['sleep', '3'], undefined, exits(3, 0)],
    ['sleep with a path and args', ['/bin/sleep'], ['1.5'], exits(1.5, 0)],
    ['sleep with units', ['sleep', '2m', '1s'], undefined, exits(121, 0)],
    ['sleep 1000000 stays up for days', ['sleep', '1000000'], undefined, exits(1_000_000, 0)],
    ['sleep infinity', ['sleep', 'infinity'], undefined, forever()],
    ['sleep with a bad operand fails', ['sleep', 'x'], undefined, exits(0, 1, [err(0, "sleep: invalid time interval 'x'")])],
    ['true', ['true'], undefined, exits(0, 0)],
    ['false', ['false'], undefined, exits(0, 1)],
    ['/bin/false', ['/bin/false'], undefined, exits(0, 1)],
    ['exec-form exit', ['exit', '3'], undefined, exits(0, 3)],
    ['echo', ['echo', 'hello', 'world'], undefined, exits(0, 0, [out(0, 'hello world')])],
    ['unknown binary runs forever', ['nginx', '-g', 'daemon off;'], undefined, forever()],
    ['sh -c exit', ['sh', '-c', 'exit 1'], undefined, exits(0, 1)],
    ['sh -c with the script in args', ['/bin/sh', '-c'], ['sleep 2; exit 4'], exits(2, 4)],
    ['bash -ec', ['bash', '-ec', 'echo a'], undefined, exits(0, 0, [out(0, 'a')])],
    ['quotes', ['sh', '-c', `echo 'a  b' "c;d" e\\ f`], undefined, exits(0, 0, [out(0, 'a  b c;d e f')])],
    ['&& runs on success', ['sh', '-c', 'true && echo yes'], undefined, exits(0, 0, [out(0, 'yes')])],
    ['&& skips on failure', ['sh', '-c', 'false && echo yes'], undefined, exits(0, 1)],
    ['|| runs on failure', ['sh', '-c', 'false || echo no'], undefined, exits(0, 0, [out(0, 'no')])],
    ['a && b; c || d in order', ['sh', '-c', 'echo a && sleep 1; false || echo d'], undefined, exits(1, 0, [out(0, 'a'), out(1, 'd')])],
    ['a chain skips to the next ;', ['sh', '-c', 'false && echo x || echo y; echo z'], undefined,
      exits(0, 0, [out(0, 'y'), out(0, 'z')])],
    ['exit stops the script', ['sh', '-c', 'echo start; sleep 1; exit 2; echo never'], undefined, exits(1, 2, [out(0, 'start')])],
    ['bare exit keeps the last status', ['sh', '-c', 'false; exit'], undefined, exits(0, 1)],
    ['newlines separate commands', ['sh', '-c', 'echo a\nsleep 2\necho b'], undefined, exits(2, 0, [out(0, 'a'), out(2, 'b')])],
    ['the last status is the exit code', ['sh', '-c', 'echo a; false'], undefined, exits(0, 1, [out(0, 'a')])],
    ['>&2 writes to stderr', ['sh', '-c', 'echo oops >&2; exit 1'], undefined, exits(0, 1, [err(0, 'oops')])],
    ['> file discards', ['sh', '-c', 'echo hidden > /tmp/x; echo shown 2>&1'], undefined, exits(0, 0, [out(0, 'shown')])],
    ['unknown command in a chain runs forever from there', ['sh', '-c', 'echo up; nginx; echo never'], undefined, forever([out(0, 'up')])],
    ['a loop is not read: forever', ['sh', '-c', 'while true; do sleep 1; done'], undefined, forever()],
    ['pipes are not read: forever', ['sh', '-c', 'echo a | cat'], undefined, forever()],
    ['variables are not read: forever', ['sh', '-c', 'echo $HOME'], undefined, forever()],
    ['comments', ['sh', '-c', '# setup\nexit 5'], undefined, exits(0, 5)],
    ['sleep then fail, crash-loop style', ['sh', '-c', 'sleep 1 && exit 1'], undefined, exits(1, 1)],
  ])('%s', (_name, command, args, expected) => {
    expect(interpret(command, args)).toEqual(expected);
  });
});
