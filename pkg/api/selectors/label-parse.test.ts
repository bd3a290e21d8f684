import { describe, expect, it } from 'vitest';
import { StatusError } from '../../apierrors/index.ts';
import { parseLabelSelector } from './index.ts';
import { nameMsg, prefixMsg, qualifiedMsg, valueMsg } from './test-messages.ts';

function parseError(s: string): StatusError {
  try {
    parseLabelSelector(s);
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error(`expected ${JSON.stringify(s)} to fail`);
}

describe('parseLabelSelector', () => {
  it.each([
    ['', ''],
    ['x=a,y=b,z=c', 'x=a,y=b,z=c'],
    ['x!=a,y=b', 'x!=a,y=b'],
    ['x=', 'x='],
    ['x= ', 'x='],
    ['x=,z= ', 'x=,z='],
    ['x= ,z= ', 'x=,z='],
    ['!x', '!x'],
    ['x>1', 'x>1'],
    ['x>1,z<5', 'x>1,z<5'],
    ['x>01', 'x>01'],
    ['a==b', 'a==b'],
    ['b=1,a=2', 'a=2,b=1'],
    ['x in (foo,,baz),y,z notin ()', 'x in (,baz,foo),y,z notin ()'],
    ['x in (c,b,b)', 'x in (b,c)'],
    ['x in (,)', 'x in ()'],
    ['x in (a,)', 'x in (,a)'],
    ['  a  in  ( x , y )  ', 'a in (x,y)'],
    ['a\tin\n(x)\r', 'a in (x)'],
    ['in in (in,notin)', 'in in (in,notin)'],
    ['notin notin (notin)', 'notin notin (notin)'],
    ['example.com/app=web', 'example.com/app=web'],
    ['a \u0000b', 'a'],
  ])('parses %j as %j', (input, printed) => {
    expect(parseLabelSelector(input).toString()).toBe(printed);
  });

  it('treats the empty string as everything', () => {
    const sel = parseLabelSelector('');
    expect(sel.empty).toBe(true);
    expect(sel.matches({ any: 'thing' })).toBe(true);
    expect(parseLabelSelector('a').empty).toBe(false);
  });

  it.each([
    ['x=a||y=b', `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${valueMsg}`],
    ['x==a==b', "found '==', expected: ',' or 'end of string'"],
    ['!x=a', "found '=', expected: ',' or 'end of string'"],
    ['a=b c', "found 'c', expected: ',' or 'end of string'"],
    ['x<a', `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['x>1.5', `unable to parse requirement: values[0]: Invalid value: "1.5": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['x>99999999999999999999', `unable to parse requirement: values[0]: Invalid value: "99999999999999999999": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['x>-1', `unable to parse requirement: values[0][x]: Invalid value: "-1": ${valueMsg}`],
    ['a,', "found '', expected: identifier after ','"],
    ['a,=b', "found '=', expected: identifier after ','"],
    [',a', "found ',', expected: !, identifier, or 'end of string'"],
    ['=a', "found '=', expected: !, identifier, or 'end of string'"],
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['a!', "unable to parse requirement: found '!', expected: in, notin, =, ==, !=, gt, lt"],
    ['a\u0000b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['!!a', "unable to parse requirement: found '!', expected: identifier"],
    ['x in a', "unable to parse requirement: found 'a' expected: '('"],
    ['x in (a', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['x in (a,b', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['x in (a b)', "unable to parse requirement: found 'b', expected: ',' or ')'"],
    ['x in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['x in (a,,)', "unable to parse requirement: found ')', expected: ',', or identifier"],
    ['x in (,,)', "unable to parse requirement: found ')', expected: ',', or identifier"],
    ['x=(a,b)', "unable to parse requirement: found '(', expected: identifier"],
    ['a>=1', "unable to parse requirement: found '=', expected: identifier"],
    ['-a', `unable to parse requirement: <nil>: Invalid value: "-a": ${nameMsg}`],
    ['*bar', `unable to parse requirement: <nil>: Invalid value: "*bar": ${nameMsg}`],
    ['app:monolith', `unable to parse requirement: <nil>: Invalid value: "app:monolith": ${nameMsg}`],
    ['a/b/c ?=? def', `unable to parse requirement: <nil>: Invalid value: "a/b/c": ${qualifiedMsg}`],
    ['/a', 'unable to parse requirement: <nil>: Invalid value: "/a": prefix part must be non-empty'],
    ['a/', `unable to parse requirement: <nil>: Invalid value: "a/": name part must be non-empty; ${nameMsg}`],
    ['app.kubernetes_io/name=x', `unable to parse requirement: <nil>: Invalid value: "app.kubernetes_io/name": ${prefixMsg}`],
    ['a'.repeat(64), `unable to parse requirement: <nil>: Invalid value: "${'a'.repeat(64)}": name part must be no more than 63 characters`],
    [`a=${'z'.repeat(64)}`, `unable to parse requirement: values[0][a]: Invalid value: "${'z'.repeat(64)}": must be no more than 63 characters`],
    ['k="v"', `unable to parse requirement: values[0][k]: Invalid value: "\\"v\\"": ${valueMsg}`],
    ['a in (-y,-x)', `unable to parse requirement: [values[0][a]: Invalid value: "-x": ${valueMsg}, values[1][a]: Invalid value: "-y": ${valueMsg}]`],
  ])('rejects %j with the apiserver message', (input, message) => {
    const err = parseError(input);
    expect(err.code).toBe(400);
    expect(err.reason).toBe('BadRequest');
    expect(err.message).toBe(message);
  });

  it('accepts "!in" as does-not-exist of the key "in"', () => {
    expect(parseLabelSelector('!in').toString()).toBe('!in');
  });

  it('quotes control characters the way Go does', () => {
    expect(parseError('a=\u0001').message)
      .toBe(`unable to parse requirement: values[0][a]: Invalid value: "\\x01": ${valueMsg}`);
  });
});
