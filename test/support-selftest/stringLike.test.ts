import { describe, expect, it } from 'vitest';
import { stringLike } from '../support/aws/stringLike.js';

describe('stringLike (IAM StringLike)', () => {
  it.each([
    ['repo:octo-org/octo-repo:*', 'repo:octo-org/octo-repo:ref:refs/heads/main', true],
    ['repo:octo-org/octo-repo:*', 'repo:octo-org/other:ref:refs/heads/main', false],
    ['repo:octo-org/*:environment:prod', 'repo:octo-org/api:environment:prod', true],
    ['sc://org/project/conn?', 'sc://org/project/conn1', true],
    ['sc://org/project/conn?', 'sc://org/project/conn12', false],
    ['exact', 'exact', true],
    ['exact', 'EXACT', false],
    ['a.b', 'axb', false],
    ['*', '', true],
  ])('%s ~ %s -> %s', (pattern, value, expected) => {
    expect(stringLike(pattern, value)).toBe(expected);
  });
});
