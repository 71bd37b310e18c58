// The contents of "Run it for real" (fetched with import() when the reader first opens it): the
// run so far as a pcapng capture, the experiment as a Linux script (copy or download; the chapter's
// version highlighted at build time and served beside the page, an edited version generated here),
// and a containerlab topology. Everything is made in the browser from the scenario and the trace.

import { useEffect, useMemo, useState } from 'preact/hooks';
import { toClab } from '../../sim/export/clab';
import { linuxScript } from '../../sim/export/linux-script';
import { capturedCount, PCAPNG_EPOCH_NOTE, toPcapng } from '../../sim/export/pcapng';
import type { Scenario } from '../../sim/scenario/format';
import type { TraceEvent } from '../../sim/trace';
import './run-for-real.css';

export interface RunForRealProps {
  scenario: Scenario;
  /** The chapter's own version (its highlighted script is served beside the page), not an edited one. */
  chapter: boolean;
  idPrefix: string;
  /** The run so far: its step, and its events (read only when the capture is made); null before the core has arrived (no step yet). */
  run: () => { step: number; events: () => readonly TraceEvent[] } | null;
  name: (id: string) => string;
  /** Changes with every step, so that what is said about the run follows it. */
  version: number;
}

/** Saves `data` as a file named `name`, as a link with `download` does. */
function download(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The file name stem of a scenario's exports: "hub-vs-bridge-bridge". */
const stem = (scenario: Scenario) => scenario.id.replace(/\//g, '-');

interface Served {
  id: string;
  text: string;
  html: string;
}

export function RunForReal({ scenario, chapter, idPrefix, run, name, version }: RunForRealProps) {
  const script = useMemo(() => linuxScript(scenario), [scenario]);
  const [served, setServed] = useState<Served | null>(null);
  const [status, setStatus] = useState('');
  // The chapter's version: its highlighted script, built with the site. An edited version (or a
  // failed fetch) shows the script as plain text.
  useEffect(() => {
    setServed(null);
    if (!chapter) return;
    let live = true;
    fetch(`${import.meta.env.BASE_URL.replace(/\/?$/, '/')}run-for-real/${scenario.id}.json`)
      .then((response) => (response.ok ? (response.json() as Promise<Served>) : null))
      .then((value) => {
        if (live && value && value.id === scenario.id && value.text === script.text) setServed(value);
      })
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [scenario, chapter, script]);

  const now = run();
  void version;
  const file = stem(scenario);

  const saveCapture = () => {
    const events = now?.events() ?? [];
    download(`${file}.pcapng`, toPcapng(events, { title: scenario.title, label: name }), 'application/vnd.tcpdump.pcap');
    const frames = capturedCount(events);
    setStatus(`Saved ${file}.pcapng: ${frames} frame${frames === 1 ? '' : 's'} on link ends, up to step ${now?.step ?? 0}.`);
  };
  const copyScript = () => {
    const done = () => setStatus('Script copied. Paste it into a file and run it as root: sudo bash lab.sh');
    if (!navigator.clipboard) {
      setStatus('This browser cannot copy here: download the script instead.');
      return;
    }
    navigator.clipboard.writeText(script.text).then(done, () => setStatus('The script could not be copied: download it instead.'));
  };
  const saveScript = () => {
    download(`${file}.sh`, script.text, 'text/x-shellscript');
    setStatus(`Saved ${file}.sh. Run it as root: sudo bash ${file}.sh, and sudo bash ${file}.sh cleanup when done.`);
  };
  const saveClab = () => {
    download(`${file}.clab.yml`, toClab(scenario), 'application/yaml');
    setStatus(`Saved ${file}.clab.yml: sudo containerlab deploy -t ${file}.clab.yml`);
  };

  const scriptId = `${idPrefix}-linux-script`;
  return (
    <div class="vp-real-body">
      <div class="vp-real-part">
        <p class="vp-real-head">
          <strong>Capture.</strong> Every frame of the run so far {now ? `(step ${now.step})` : '(no step yet: press Step or Play first)'}, as tcpdump on each link end would have seen it, with the step and the reason in each packet's comment. Open it in Wireshark.
        </p>
        <p class="vp-muted">{PCAPNG_EPOCH_NOTE}</p>
        <button type="button" class="vp-btn vp-btn--small" onClick={saveCapture}>
          Download capture (.pcapng)
        </button>
      </div>

      <div class="vp-real-part">
        <p class="vp-real-head">
          <strong>Run it on Linux.</strong> The same topology in network namespaces, then the same traffic and the tables: save it as <code>lab.sh</code> and run <code>sudo bash lab.sh</code> (then <code>sudo bash lab.sh cleanup</code>). {chapter ? 'The kernel tests of this site run this script.' : 'Generated from your edited version.'}
        </p>
        {script.unsupported.length > 0 && (
          <div class="vp-real-missing">
            <p>Not on Linux, so left out of the script:</p>
            <ul>
              {script.unsupported.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </div>
        )}
        <p class="vp-real-actions">
          <button type="button" class="vp-btn vp-btn--small" onClick={copyScript}>
            Copy script
          </button>
          <button type="button" class="vp-btn vp-btn--small" onClick={saveScript}>
            Download lab.sh
          </button>
        </p>
        <pre class="vp-real-script" id={scriptId} role="region" tabIndex={0} aria-label={`Linux script for ${scenario.title}`}>
          {served ? <code dangerouslySetInnerHTML={{ __html: served.html }} /> : <code>{script.text}</code>}
        </pre>
      </div>

      <div class="vp-real-part">
        <p class="vp-real-head">
          <strong>containerlab.</strong> The same nodes, links and addresses as a topology file, each device a Linux container.
        </p>
        <button type="button" class="vp-btn vp-btn--small" onClick={saveClab}>
          Download containerlab topology (.clab.yml)
        </button>
      </div>
      <p class="vp-real-status" role="status">
        {status}
      </p>
    </div>
  );
}
