import { useMutation } from '@tanstack/react-query';
import { useId, useState, type ChangeEvent, type FormEvent } from 'react';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { StatusBadge } from '../../components/StatusBadge';
import { downloadText } from '../../lib/download';
import { formatCount, formatDateTime } from '../../lib/format';
import type { SignatureCheck, SignedTreeHead } from '../../lib/merkleVerify';
import { CheckResultView } from './CheckResultView';
import {
  checkConsistency,
  checkInclusion,
  describeHead,
  type CheckResult,
  type CheckedHead,
  type InclusionResult,
} from './logChecks';
import {
  parseSavedHead,
  readStoredHead,
  savedHeadFileName,
  savedHeadOf,
  savedHeadText,
  storeHead,
  type SavedHead,
} from './savedHead';
import { useLatestHead, useReadLatestHead } from './useLatestHead';

/**
 * `/audit/integrity`: the log's latest signed head, saved by the auditor and checked later for
 * consistency, and any event's inclusion, all verified here in the browser: the server's answers
 * are the evidence, not the verdict.
 */
export function LogIntegrityPage() {
  const latest = useLatestHead();
  const [saved, setSaved] = useState<SavedHead | undefined>(readStoredHead);

  return (
    <>
      <PageHeader
        title="Log integrity"
        lead="The tracker keeps its log in a Merkle tree (RFC 9162, as Certificate Transparency does) and signs the tree's root with its Ed25519 key. This page checks, in your browser, that the signature is the log's, that the log only grew since a head you saved, and that an event is in the signed log exactly as shown. The server sends hashes, proofs and signatures; your browser does the sums, so no verdict on this page is the server's word."
      />
      <p>
        The checks read the log as it stands now, whatever time travel is set to. They change
        nothing.
      </p>
      <LatestHeadSection latest={latest} onSave={setSaved} />
      <SavedHeadSection saved={saved} onLoad={setSaved} />
      <InclusionSection />
    </>
  );
}

function LatestHeadSection({
  latest,
  onSave,
}: {
  readonly latest: ReturnType<typeof useLatestHead>;
  readonly onSave: (saved: SavedHead) => void;
}) {
  const [notice, setNotice] = useState<string>();
  const save = (checked: CheckedHead) => {
    const saved = savedHeadOf(checked.head, checked.key);
    const fileName = savedHeadFileName(saved);
    downloadText(fileName, savedHeadText(saved), 'application/json');
    const kept = storeHead(saved);
    onSave(saved);
    setNotice(
      `Saved ${describeHead(checked.head)}: downloaded as ${fileName}${kept ? ' and kept in this browser' : '; this browser refused to keep it, so load the file next time'}.`,
    );
  };
  return (
    <section aria-labelledby="latest-head-title" className="integrity-section">
      <h2 id="latest-head-title">Latest signed head</h2>
      {latest.isPending && <Loading label="Reading the latest signed head and the public key" />}
      {latest.error && (
        <ProblemAlert problem={latest.error.problem} title="The latest head could not be read" />
      )}
      {latest.data && (
        <>
          <HeadFacts head={latest.data.head} />
          <SignatureStatus
            signature={latest.data.signature}
            keyThumbprint={latest.data.keyThumbprint}
          />
          <p className="integrity-actions no-print">
            <button
              type="button"
              className="button"
              onClick={() => save(latest.data)}
              disabled={latest.data.signature.outcome !== 'valid'}
            >
              Save this head
            </button>
            <button
              type="button"
              className="button button--secondary"
              onClick={() => {
                setNotice(undefined);
                void latest.refetch();
              }}
              disabled={latest.isFetching}
            >
              Read the latest head again
            </button>
          </p>
        </>
      )}
      <p role="status" className="integrity-notice">
        {notice}
      </p>
    </section>
  );
}

export function HeadFacts({ head }: { readonly head: SignedTreeHead }) {
  return (
    <dl className="facts facts--stacked">
      <div>
        <dt>Tree size (events in the log)</dt>
        <dd>{formatCount(head.treeSize)}</dd>
      </div>
      <div>
        <dt>Root hash (SHA-256, base64)</dt>
        <dd>
          <code className="digest">{head.rootHash}</code>
        </dd>
      </div>
      <div>
        <dt>Signed at</dt>
        <dd>
          <time dateTime={head.timestamp}>{formatDateTime(head.timestamp)}</time>{' '}
          <span className="muted">
            (<code>{head.timestamp}</code>, as signed)
          </span>
        </dd>
      </div>
    </dl>
  );
}

function SignatureStatus({
  signature,
  keyThumbprint,
}: {
  readonly signature: SignatureCheck;
  readonly keyThumbprint: string;
}) {
  return (
    <div role="status" className="integrity-signature">
      {signature.outcome === 'valid' && (
        <>
          <p>
            <StatusBadge tone="success" label="Signature valid" />{' '}
            <span>
              Signed by the key published at <code>/api/v1/audit/key</code>
            </span>
            {keyThumbprint && (
              <>
                {' '}
                (key thumbprint <code className="digest">{keyThumbprint}</code>, as{' '}
                <code>npm run audit:verify</code> prints it)
              </>
            )}
            .
          </p>
          <p className="hint">
            That key is served by the tracker itself. Compare its thumbprint with the one published
            outside the tracker, or noted on an earlier visit: whoever runs the server could sign a
            rewritten log with a key of their own. The consistency check below also says whether the
            key changed since the head you saved.
          </p>
        </>
      )}
      {signature.outcome === 'invalid' && (
        <p>
          <StatusBadge tone="danger" label="Signature NOT valid" />{' '}
          <span>
            The signature does not verify with the key published at <code>/api/v1/audit/key</code>:{' '}
            {signature.reason}. Do not rely on this head; report it to the operator and the
            Commission.
          </span>
        </p>
      )}
      {signature.outcome === 'unsupported' && (
        <p>
          <StatusBadge tone="warning" label="Signature not checked" />{' '}
          <span>
            The head was not checked: {signature.reason}. Use a current browser over HTTPS, or check
            an export offline with <code>npm run audit:verify</code>.
          </span>
        </p>
      )}
    </div>
  );
}

function SavedHeadSection({
  saved,
  onLoad,
}: {
  readonly saved: SavedHead | undefined;
  readonly onLoad: (saved: SavedHead) => void;
}) {
  const id = useId();
  const readLatestHead = useReadLatestHead();
  const [loadProblem, setLoadProblem] = useState<string>();
  const [loadNotice, setLoadNotice] = useState<string>();
  const check = useMutation<CheckResult, Error, SavedHead>({
    mutationFn: async (head) => checkConsistency(head, await readLatestHead()),
  });

  const load = async (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    const file = input.files?.[0];
    if (file === undefined) return;
    setLoadNotice(undefined);
    const parsed = parseSavedHead(await file.text());
    input.value = '';
    if (parsed.problem !== undefined) {
      setLoadProblem(`${file.name} cannot be used. ${parsed.problem}`);
      return;
    }
    setLoadProblem(undefined);
    check.reset();
    const kept = storeHead(parsed.saved);
    onLoad(parsed.saved);
    setLoadNotice(
      `Loaded ${describeHead(parsed.saved.treeHead)} from ${file.name}${kept ? '; it is now the saved head in this browser' : ''}.`,
    );
  };

  return (
    <section aria-labelledby={`${id}-title`} className="integrity-section">
      <h2 id={`${id}-title`}>Your saved head</h2>
      {saved ? (
        <>
          <p>The head you saved or loaded last in this browser:</p>
          <HeadFacts head={saved.treeHead} />
        </>
      ) : (
        <p>
          No head is saved in this browser. Save the latest head above (keep the file), or load a
          head you saved earlier.
        </p>
      )}
      <div className="field no-print">
        <label htmlFor={`${id}-file`}>Load a saved head</label>
        <input
          id={`${id}-file`}
          type="file"
          accept="application/json,.json"
          aria-describedby={`${id}-file-hint${loadProblem ? ` ${id}-file-error` : ''}`}
          aria-invalid={loadProblem ? true : undefined}
          onChange={(event) => void load(event)}
        />
        <p className="hint" id={`${id}-file-hint`}>
          A tree-head-&lt;size&gt;.json file saved from this page, or a signed head as JSON.
        </p>
        {loadProblem && (
          <p className="field-error" id={`${id}-file-error`} role="alert">
            <span className="visually-hidden">Error: </span>
            {loadProblem}
          </p>
        )}
      </div>
      <p role="status" className="integrity-notice">
        {loadNotice}
      </p>
      <p className="no-print">
        <button
          type="button"
          className="button"
          disabled={saved === undefined || check.isPending}
          onClick={() => saved && check.mutate(saved)}
        >
          Check consistency
        </button>
        {saved === undefined && <span className="hint"> Save or load a head first.</span>}
      </p>
      <p className="hint">
        Checks that the log today extends the saved head: a consistency proof (RFC 9162 §2.1.4) from
        the saved head&apos;s size to the latest head&apos;s, verified here with SHA-256.
      </p>
      <CheckResultView
        result={check.data ?? (check.error ? errorResult(check.error) : undefined)}
        pending={check.isPending}
        pendingLabel="Checking that the log only grew since the saved head"
      />
    </section>
  );
}

function errorResult(error: Error): CheckResult {
  return { ok: false, summary: `Not checked: ${error.message}`, details: [] };
}

/** A log position as typed: a whole number from 1, else why not. */
function readPosition(text: string): { position?: number; problem?: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { problem: 'Enter a log position.' };
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(Number(trimmed)) || Number(trimmed) < 1) {
    return { problem: 'A log position is a whole number from 1, e.g. 7.' };
  }
  return { position: Number(trimmed) };
}

function InclusionSection() {
  const id = useId();
  const readLatestHead = useReadLatestHead();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string>();
  const check = useMutation<InclusionResult, Error, number>({
    mutationFn: async (position) => checkInclusion(position, await readLatestHead()),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const read = readPosition(text);
    setProblem(read.problem);
    if (read.position !== undefined) check.mutate(read.position);
  };
  return (
    <section aria-labelledby={`${id}-title`} className="integrity-section">
      <h2 id={`${id}-title`}>Check an event&apos;s inclusion</h2>
      <p>
        Reads the event&apos;s record as the log stores it and an inclusion proof (RFC 9162 §2.1.3)
        for the latest signed head, then hashes the record here and checks that it leads to the
        signed root hash.
      </p>
      <form className="no-print" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
        <div className="field field--inline">
          <label htmlFor={`${id}-position`}>Log position</label>
          <input
            id={`${id}-position`}
            type="text"
            inputMode="numeric"
            autoComplete="off"
            value={text}
            onChange={(event) => setText(event.target.value)}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${id}-position-error` : undefined}
          />
          <button type="submit" className="button" disabled={check.isPending}>
            Check inclusion
          </button>
        </div>
        {problem && (
          <p className="field-error" id={`${id}-position-error`} role="alert">
            <span className="visually-hidden">Error: </span>
            {problem}
          </p>
        )}
      </form>
      <CheckResultView
        result={check.data ?? (check.error ? errorResult(check.error) : undefined)}
        pending={check.isPending}
        pendingLabel="Checking the event against the latest signed head"
      />
    </section>
  );
}
