import { RegistrationQuestionSchema } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { questionId } from './registrationForm.ts';

describe('questionId', () => {
  it('answers the first free q<n>, valid for the server', () => {
    expect(questionId([])).toBe('q1');
    expect(questionId(['q1', 'q3', 'company'])).toBe('q2');
    expect(
      RegistrationQuestionSchema.safeParse({ id: questionId(['q1']), label: 'Role', required: false }).success,
    ).toBe(true);
  });
});
