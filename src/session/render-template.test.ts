import { describe, expect, it } from 'vitest';
import { renderTemplate } from './render-template.js';

describe('renderTemplate', () => {
  it('substitutes {{name}} and {{ name }}', () => {
    expect(renderTemplate('Hi {{name}}, {{ name }}!', { name: 'Ada' })).toBe('Hi Ada, Ada!');
  });

  it('reads dotted paths and array indices', () => {
    const vars = { user: { name: 'Ada', langs: ['fr', 'en'] } };
    expect(renderTemplate('{{user.name}} speaks {{ user.langs.1 }}', vars)).toBe('Ada speaks en');
  });

  it('leaves unknown variables as they are', () => {
    expect(renderTemplate('Hi {{ who }} / {{user.missing}} / {{user.name.x}}', { user: { name: 'A' } })).toBe(
      'Hi {{ who }} / {{user.missing}} / {{user.name.x}}',
    );
  });

  it('formats values: numbers, booleans, null, dates, objects', () => {
    const vars = { n: 3, ok: false, none: null, when: new Date('2024-01-02T03:04:05Z'), obj: { a: [1] } };
    expect(renderTemplate('{{n}} {{ok}} [{{none}}] {{when}} {{obj}}', vars)).toBe(
      '3 false [] 2024-01-02T03:04:05.000Z {"a":[1]}',
    );
  });

  it('executes nothing and never reads the prototype chain', () => {
    const calls: string[] = [];
    const vars = {
      fn: () => {
        calls.push('called');
        return 'x';
      },
      user: { name: 'A' },
    };
    const text =
      '{{fn}} {{constructor}} {{user.constructor.name}} {{__proto__}} {{ 1 + 1 }} {{user.name.length}}';
    expect(renderTemplate(text, vars)).toBe(text);
    expect(calls).toEqual([]);
  });

  it('does not escape HTML', () => {
    expect(renderTemplate('{{html}}', { html: '<b>&</b>' })).toBe('<b>&</b>');
  });

  it('\\{{ writes a literal {{', () => {
    expect(renderTemplate('\\{{name}} is {{name}}', { name: 'Ada' })).toBe('{{name}} is Ada');
  });

  it('treats {{{x}}} as braces around a placeholder', () => {
    expect(renderTemplate('{{{x}}}', { x: 1 })).toBe('{1}');
  });

  it('leaves a value containing {{ … }} alone (no second pass)', () => {
    expect(renderTemplate('{{a}}', { a: '{{b}}', b: 'no' })).toBe('{{b}}');
  });
});
