// The share-link notice's page code (ShareLinkNoticeScript.astro loads it when the address carries
// a shared experiment, #vnet=…): reads the places rendered beside it and says, in `box`, where a
// shared experiment that is not on this page lives. Returns the update to run on each hash change.
import { shareLinkNotice, type ExperimentPlaces } from '../editor/share-target';

export function startShareLinkNotice(box: HTMLElement): () => void {
  // The data is rendered with the notice, so it is always there; so is the attribute of every [data-scenario].
  const places = JSON.parse(document.getElementById('share-places')!.textContent!) as ExperimentPlaces;
  return () => {
    const onPage = new Set([...document.querySelectorAll<HTMLElement>('[data-scenario]')].map((el) => el.dataset.scenario!));
    const notice = shareLinkNotice(location.hash, onPage, places);
    const parts: (string | Node)[] = [];
    if (notice) {
      parts.push(notice.text);
      if (notice.link) {
        const a = document.createElement('a');
        a.href = notice.link.href;
        a.textContent = notice.link.label;
        parts.push(a, notice.after!); // a notice with a link always has the text after it
      }
    }
    box.replaceChildren(...parts);
  };
}
