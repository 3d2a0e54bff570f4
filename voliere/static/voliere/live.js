// Live updates from the server's event stream (/live/, voliere/streaming): the unread
// badge follows new notifications, and a timeline with a "new posts" bar counts the posts
// that arrived since it was drawn; the bar loads them with htmx without reloading the page.
// The stream carries ids and counts only: cards come from the normal, permission-checked
// fragment. Without JavaScript or EventSource, pages keep their slow polling.
(() => {
  const config = document.querySelector('meta[name="voliere-live"]');
  if (!config || !("EventSource" in window)) return;
  const MAX_INSERT = 20; // the fragment's page size; beyond it the bar reloads the page

  const bar = document.getElementById("new-posts-bar");
  const pending = new Set();
  let since = bar ? BigInt(bar.dataset.since || "0") : 0n;

  function showBar() {
    if (!bar) return;
    const count = pending.size;
    bar.hidden = count === 0;
    const template = count === 1 ? bar.dataset.labelOne : bar.dataset.labelMany;
    bar.querySelector("button").textContent = template.replace("{n}", String(count));
  }

  function loadPending() {
    if (pending.size > MAX_INSERT || !window.htmx) {
      window.location.reload();
      return;
    }
    const target = document.querySelector(bar.dataset.target);
    const url = `${bar.dataset.fragmentUrl}?min_id=${since}`;
    htmx.ajax("GET", url, { target, swap: "afterbegin" }).then(() => {
      target.querySelectorAll(":scope > .empty").forEach((node) => node.remove());
      target.querySelectorAll(":scope > article.post-card[id^='post-']").forEach((card) => {
        const id = BigInt(card.id.slice(5));
        if (id > since) since = id;
      });
      pending.clear();
      showBar();
    });
  }

  if (bar) bar.querySelector("button").addEventListener("click", loadPending);

  function setBadge(unread) {
    const badge = document.getElementById("unread-count");
    if (!badge) return;
    badge.textContent = "";
    if (unread > 0) {
      badge.append(String(unread));
      const label = document.createElement("span");
      label.className = "visually-hidden";
      label.textContent = ` ${config.dataset.unreadLabel}`;
      badge.append(label);
    }
  }

  // While the stream is open it keeps the badge current: the badge's 30 s htmx poll is
  // let through only every SLOW_POLL_MS, as a fallback; when the stream breaks, it resumes.
  const SLOW_POLL_MS = 5 * 60 * 1000;
  let live = false;
  let lastPoll = Date.now();
  document.addEventListener("htmx:beforeRequest", (event) => {
    if (event.target.id !== "unread-count" || !live) return;
    if (Date.now() - lastPoll < SLOW_POLL_MS) event.preventDefault();
    else lastPoll = Date.now();
  });

  const source = new EventSource(config.content);
  source.addEventListener("update", (event) => {
    const id = JSON.parse(event.data).id;
    if (!bar || BigInt(id) <= since || document.getElementById(`post-${id}`)) return;
    pending.add(id);
    showBar();
  });
  source.addEventListener("delete", (event) => {
    if (pending.delete(JSON.parse(event.data).id)) showBar();
  });
  source.addEventListener("notification", (event) => {
    setBadge(JSON.parse(event.data).unread);
  });
  // Mark the page as connected (tests and styles can wait for it).
  source.addEventListener("open", () => {
    live = true;
    document.documentElement.dataset.live = "open";
  });
  source.addEventListener("error", () => {
    live = false;
    document.documentElement.dataset.live = "retrying";
  });
})();
