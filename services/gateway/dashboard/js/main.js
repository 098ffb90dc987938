/* global document, window */
import { ApiError, apiGet, keyStore, mapLimited } from './api.js';
import { formatNumber } from './dom.js';
import { openLiveStream } from './live-stream.js';
import { renderSearchResults } from './search.js';
import { renderSources } from './sources.js';
import { renderTopicDetail } from './topic-detail.js';
import { createTopicList } from './topics.js';

const $ = (id) => document.getElementById(id);
const LIVE_TYPES = ['cluster.created', 'cluster.updated', 'cluster.merged', 'cluster.retired'];
const LIVE_TEXT = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  unauthorized: 'Offline',
  closed: 'Offline',
  offline: 'Offline',
};
// Cluster events come in bursts while items flow; one list refresh per interval is plenty.
const REFRESH_MS = 1_500;
const SOURCES_MS = 60_000;

const topics = createTopicList({
  list: $('topic-list'),
  empty: $('topics-empty'),
  announcer: $('topic-announcer'),
});
let stream;
let refreshTimer;
let refreshing;
let refreshAgain = false;
let detailTimer;
let openTopic;
let sourcesTimer;

function setLive(state) {
  const indicator = $('live-indicator');
  indicator.dataset.state = state;
  indicator.querySelector('.live-text').textContent = LIVE_TEXT[state] ?? state;
  if (state === 'live') scheduleRefresh(0);
  if (state === 'unauthorized') askForKey('The key was refused. Enter a valid API key.');
}

/** Shows exactly one of the right-hand panels. */
function showPanel(name) {
  for (const id of ['welcome', 'detail', 'search-results']) $(id).hidden = id !== name;
}

function failed(error, where) {
  if (error instanceof ApiError && error.status === 401) {
    askForKey('The key was refused. Enter a valid API key.');
    return true;
  }
  console.warn(`Trendmill dashboard: ${where} failed`, error);
  return false;
}

// ---- topics --------------------------------------------------------------------------------

function scheduleRefresh(delay = REFRESH_MS) {
  if (refreshTimer) return;
  refreshTimer = setTimeout(() => {
    refreshTimer = undefined;
    void refreshTopics();
  }, delay);
}

async function refreshTopics() {
  if (refreshing) {
    refreshAgain = true;
    return refreshing;
  }
  refreshing = (async () => {
    try {
      const [page, stats] = await Promise.all([
        apiGet('/clusters', { sort: $('topic-sort').value, status: 'live', limit: 30 }),
        apiGet('/stats'),
      ]);
      topics.setFromApi(page.items);
      $('stats').textContent =
        `${formatNumber(stats.items)} items · ${formatNumber(stats.clusters.total)} topics`;
      // Sparklines only for topics that changed since their last one (keeps bursts small).
      const stale = topics.staleSeries();
      await mapLimited(stale, 3, async (id) => {
        const detail = await apiGet(`/clusters/${encodeURIComponent(id)}`, { hours: 48, evidence: 0 });
        topics.setSeries(id, detail.version, detail.timeSeries, detail.bucketSeconds);
      });
      topics.render();
    } catch (error) {
      failed(error, 'topic refresh');
    }
  })();
  await refreshing;
  refreshing = undefined;
  if (refreshAgain) {
    refreshAgain = false;
    scheduleRefresh();
  }
}

function onClusterEvent(event) {
  const kind = /\.cluster\.([a-z-]+)\./.exec(event.event)?.[1];
  if (!kind) return;
  let envelope;
  try {
    envelope = JSON.parse(event.data);
  } catch {
    return;
  }
  topics.applyEvent(kind, envelope.data);
  scheduleRefresh();
  if (openTopic && envelope.data?.clusterId === openTopic) {
    clearTimeout(detailTimer);
    detailTimer = setTimeout(() => void showTopic(openTopic, { quiet: true }), REFRESH_MS);
  }
}

// ---- detail and search -------------------------------------------------------------------

async function showTopic(id, { quiet = false } = {}) {
  openTopic = id;
  topics.select(id);
  showPanel('detail');
  if (!quiet) {
    $('detail-heading').textContent = 'Loading topic…';
    $('detail-body').replaceChildren();
  }
  try {
    const cluster = await apiGet(`/clusters/${encodeURIComponent(id)}`, { hours: 72, evidence: 8 });
    if (openTopic !== id) return;
    renderTopicDetail($('detail-heading'), $('detail-body'), cluster);
    if (!quiet) $('detail-heading').focus();
  } catch (error) {
    if (failed(error, 'topic detail') || openTopic !== id) return;
    $('detail-heading').textContent =
      error instanceof ApiError && error.status === 404 ? 'Topic not found' : 'The topic could not be loaded';
    $('detail-body').replaceChildren(document.createTextNode(error.message));
  }
}

async function runSearch(q, mode) {
  openTopic = undefined;
  topics.select(undefined);
  if (window.location.hash) window.history.pushState(null, '', window.location.pathname);
  showPanel('search-results');
  $('results-heading').textContent = `Searching for ${q}…`;
  $('results-body').replaceChildren();
  try {
    const result = await apiGet('/search', { q, mode, limit: 20 });
    renderSearchResults($('results-heading'), $('results-body'), result);
  } catch (error) {
    if (failed(error, 'search')) return;
    $('results-heading').textContent = 'Search failed';
    $('results-body').replaceChildren(document.createTextNode(error.message));
  }
}

function route() {
  const match = /^#topic\/(.+)$/.exec(window.location.hash);
  if (match) {
    void showTopic(decodeURIComponent(match[1]));
    return;
  }
  openTopic = undefined;
  topics.select(undefined);
  if ($('search-results').hidden) showPanel('welcome');
}

function closePanel() {
  openTopic = undefined;
  topics.select(undefined);
  if (window.location.hash) window.history.pushState(null, '', window.location.pathname);
  showPanel('welcome');
  $('topics-heading').focus();
}

// ---- sources -------------------------------------------------------------------------------

async function refreshSources() {
  clearTimeout(sourcesTimer);
  try {
    const { sources } = await apiGet('/sources', { limit: 50 });
    const rows = await mapLimited(sources.slice(0, 20), 3, async (source) => ({
      source,
      health: await apiGet(`/sources/${encodeURIComponent(source.id)}/health`).catch((error) => ({ error })),
    }));
    renderSources($('source-list'), $('sources-empty'), rows);
  } catch (error) {
    failed(error, 'sources');
  }
  sourcesTimer = setTimeout(() => void refreshSources(), SOURCES_MS);
}

// ---- key and start-up ----------------------------------------------------------------------

function askForKey(message = '') {
  stream?.close();
  stream = undefined;
  keyStore.clear();
  $('key-error').textContent = message;
  $('key-input').value = '';
  const dialog = $('key-dialog');
  if (!dialog.open) dialog.showModal();
  $('key-input').focus();
}

function start() {
  stream?.close();
  stream = openLiveStream({
    key: keyStore.get(),
    types: LIVE_TYPES,
    onEvent: onClusterEvent,
    onState: setLive,
  });
  void refreshTopics();
  void refreshSources();
  route();
}

$('key-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const key = $('key-input').value.trim();
  if (!key) return;
  $('key-error').textContent = 'Checking…';
  try {
    await apiGet('/stats', {}, { key });
  } catch (error) {
    $('key-error').textContent =
      error instanceof ApiError && error.status === 401
        ? 'That key was refused.'
        : `Could not check the key: ${error.message}`;
    return;
  }
  keyStore.set(key);
  $('key-error').textContent = '';
  $('key-dialog').close();
  start();
});
// Escape must not leave a keyless dashboard behind the dialog.
$('key-dialog').addEventListener('cancel', (event) => {
  if (!keyStore.get()) event.preventDefault();
});
$('change-key').addEventListener('click', () => askForKey());
$('search-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const q = $('search-q').value.trim();
  if (q) void runSearch(q, $('search-mode').value);
});
$('topic-sort').addEventListener('change', () => void refreshTopics());
$('detail-close').addEventListener('click', closePanel);
$('results-close').addEventListener('click', closePanel);
$('sources-refresh').addEventListener('click', () => void refreshSources());
window.addEventListener('hashchange', route);

if (keyStore.get()) start();
else askForKey();
