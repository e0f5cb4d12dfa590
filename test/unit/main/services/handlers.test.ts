/** The handler table covers the contract exactly: checked by the type checker and at run time. */
import { describe, expect, it } from 'vitest';
import { methodNames, type Methods } from '@shared/api';
import type { Handlers } from '@engine/services/context';
import { createHandlers } from '@engine/services/handlers';
import { serviceContext } from '../../../helpers/service-context';

describe('handler table', () => {
  it('has one handler per contract method, and no other', () => {
    // the lessons' handlers call the service's own door; nothing is called here
    const call = () => Promise.reject(new Error('not called in this test'));
    const handlers = createHandlers(serviceContext(), call);
    expect(Object.keys(handlers).sort()).toEqual([...methodNames].sort());
  });

  it('does not type-check when a contract method has no handler', () => {
    type Table = Handlers<Methods>;
    const withoutOne = {} as Omit<Table, 'tcp.kernelTimers'>;
    // @ts-expect-error — 'tcp.kernelTimers' is missing: the service would have nothing to call
    const table: Table = withoutOne;
    expect(Object.keys(table)).toEqual([]);
  });
});
