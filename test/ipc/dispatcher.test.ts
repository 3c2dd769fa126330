/**
 * The dispatcher enforces what the contract declares: a call that needs an
 * unlocked identity is refused while locked before any handler runs, and a
 * precondition (a broken policy file) comes before the lock check.
 */
import { describe, expect, it } from 'vitest';
import { CHANNELS, CONTRACT, type Channel } from '../../main/ipc/contract.js';
import { createDispatcher, type Handlers } from '../../main/ipc/dispatcher.js';
import { UsageError } from '../../main/errors/usage-error.js';

const WINDOW = { url: 'medseal-app://ui/index.html', isMainFrame: true };

function recordingHandlers() {
  const called: Channel[] = [];
  const handlers = Object.fromEntries(
    CHANNELS.map((channel) => [
      channel,
      async () => {
        called.push(channel);
        throw new UsageError('handler ran');
      },
    ]),
  ) as unknown as Handlers;
  return { handlers, called };
}

describe('locked or unlocked, as the contract declares', () => {
  it('only the session, identity creation, recovery, restoring a backup, opening a passphrase package and about answer while locked', () => {
    expect(CHANNELS.filter((channel) => CONTRACT[channel].access === 'any').sort()).toEqual([
      'app.about',
      'backup.pick',
      'backup.restore',
      'identity.create',
      'identity.recover',
      'passphrase.discard',
      'passphrase.open',
      'passphrase.pickPackage',
      'passphrase.preview',
      'passphrase.reveal',
      'session.forgetDevice',
      'session.lock',
      'session.status',
      'session.unlock',
      'session.unlockRemembered',
    ]);
  });

  it('refuses every other channel with LOCKED while locked, before its handler runs', async () => {
    const { handlers, called } = recordingHandlers();
    const dispatch = createDispatcher(handlers, { origin: 'medseal-app://ui', isUnlocked: () => false });
    const answer = await dispatch('contacts.list', WINDOW, {});
    expect(answer).toEqual({
      ok: false,
      error: { code: 'LOCKED', category: 'usage', message: 'MedSeal is locked. Unlock it to continue.' },
    });
    expect(await dispatch('seal.reveal', WINDOW, { jobId: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'LOCKED' },
    });
    expect(called).toEqual([]);
    expect(await dispatch('session.status', WINDOW, {})).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    expect(called).toEqual(['session.status']);
  });

  it('runs the handler once unlocked', async () => {
    const { handlers, called } = recordingHandlers();
    const dispatch = createDispatcher(handlers, { origin: 'medseal-app://ui', isUnlocked: () => true });
    await dispatch('contacts.list', WINDOW, {});
    expect(called).toEqual(['contacts.list']);
  });

  it('a precondition that throws refuses the call with its own error, before the lock check', async () => {
    const { handlers, called } = recordingHandlers();
    const dispatch = createDispatcher(handlers, {
      origin: 'medseal-app://ui',
      isUnlocked: () => false,
      precondition: () => {
        throw new UsageError('blocked by policy');
      },
    });
    expect(await dispatch('contacts.list', WINDOW, {})).toEqual({
      ok: false,
      error: { code: 'USAGE', category: 'usage', message: 'blocked by policy' },
    });
    expect(called).toEqual([]);
  });
});

describe('the sender must be our own origin exactly', () => {
  it('refuses opaque origins (file:, data:, about:blank, other schemes) that URL.origin calls equal to ours', async () => {
    const { handlers, called } = recordingHandlers();
    const dispatch = createDispatcher(handlers, { origin: 'medseal-app://ui', isUnlocked: () => true });
    for (const url of [
      'file:///home/x/evil.html',
      'data:text/html,<script>x</script>',
      'about:blank',
      'other-app://ui/index.html',
      'medseal-app://evil/index.html',
      'medseal-app://user:pw@ui/index.html',
    ]) {
      expect(await dispatch('session.status', { url, isMainFrame: true }, {}), url).toMatchObject({
        ok: false,
        error: { code: 'IPC_FORBIDDEN_SENDER' },
      });
    }
    expect(called).toEqual([]);
    await dispatch('session.status', WINDOW, {});
    expect(called).toEqual(['session.status']);
  });
});
