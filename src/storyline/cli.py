"""The `storyline` command. Each command parses its arguments, calls one Workspace function
and renders the result; heavy modules are imported inside the commands so --help is instant."""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from storyline import __version__
from storyline.errors import NotFoundError, StorylineError

if TYPE_CHECKING:
    from storyline.sources.collect import FeedResult
    from storyline.sources.fetch import FetchPolicy
    from storyline.workspace import IngestSummary, Workspace

DEFAULT_DB = "storyline.db"
PROGRESS_MIN_ITEMS = 30  # below this a bar flickers by faster than it helps
EMBED_CHUNK = 256  # texts per progress step when embedding (seconds of work each)
F = TypeVar("F", bound=Callable[..., Any])


def db_option(func: F) -> F:
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=lambda: os.environ.get("STORYLINE_DB", DEFAULT_DB),
        show_default=f"$STORYLINE_DB or ./{DEFAULT_DB}",
        help="Workspace file (SQLite). Created on first use.",
    )(func)


def limit_options(func: F) -> F:
    func = click.option(
        "--max-article-bytes",
        type=click.IntRange(min=1),
        default=5_000_000,
        show_default=True,
        help="Skip (and report) any single article larger than this.",
    )(func)
    return click.option(
        "--progress/--no-progress",
        default=None,
        help="Show a progress bar (default: on when stderr is a terminal and there are "
        f"more than {PROGRESS_MIN_ITEMS} items).",
    )(func)


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="""\b
Quick start:
  storyline analyze examples/ --out out/      # everything, then open out/report.html
  storyline ingest articles/ feed.jsonl        # add articles to ./storyline.db
  storyline articles                           # list what is stored
  storyline show 3f2a9c1d                      # one article (an id prefix is enough)

Inputs: files or folders of .txt, .html, .jsonl, .csv and .warc(.gz), - for stdin, or
http(s) URLs. JSONL/CSV records may carry id, url, outlet, title, published, language,
text, html. Feeds: storyline feeds add URL, then storyline feeds pull (or storyline watch).""",
)
@click.version_option(__version__, prog_name="storyline")
def cli() -> None:
    """Storyline turns a pile of news articles from many outlets into verified storylines.

    It cleans each article (boilerplate out; outlet, title, date and language recovered),
    keeps everything in a local SQLite workspace, and writes a report you can read
    offline (HTML), read as text (Markdown) or feed to other programs (JSON).
    """


@contextmanager
def _workspace(
    db_path: Path,
    max_article_bytes: int | None = None,
    workers: int = 1,
    executor: str = "local",
    address: str | None = None,
) -> Iterator[Workspace]:
    from storyline.executors import default_workers
    from storyline.ingest import IngestLimits
    from storyline.workspace import Workspace, WorkspaceConfig

    config = WorkspaceConfig(
        limits=IngestLimits(max_article_bytes=max_article_bytes or 5_000_000),
        workers=workers or default_workers(),
        executor=executor,
        ray_address=address,
    )
    with Workspace.open(db_path, config) as workspace:
        yield workspace


def _run(action: Callable[[], None]) -> None:
    """One clear line on stderr and exit status 1 for any deliberate Storyline error."""
    try:
        action()
    except StorylineError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("interrupted: every finished batch is saved; re-run to continue", err=True)
        sys.exit(130)


@contextmanager
def _progress_bar(
    label: str, total: int | None, progress: bool | None
) -> Iterator[Callable[[int], None] | None]:
    """A rich bar on stderr, or None when it would not help (not a terminal, few items)."""
    show = sys.stderr.isatty() if progress is None else progress
    if not show or (total is not None and total <= PROGRESS_MIN_ITEMS):
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    console = Console(stderr=True, force_terminal=progress is True or None)
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
    ) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)
        bar.update(task, total=bar.tasks[0].completed)  # estimates (JSONL lines) end exact


def _ingest_with_progress(
    workspace: Workspace,
    inputs: tuple[str, ...],
    progress: bool | None,
    policy: FetchPolicy | None = None,
    refetch: bool = False,
) -> IngestSummary:
    """Files, folders and stdin through the readers; http(s) URLs through the fetcher."""
    from storyline.workspace import IngestSummary

    urls = [i for i in inputs if i.lower().startswith(("http://", "https://"))]
    paths = tuple(i for i in inputs if i not in urls)
    summary = IngestSummary()
    if paths:
        with _progress_bar("ingesting", workspace.count_inputs(paths), progress) as advance:
            summary = workspace.ingest(paths, progress=advance)
    if urls:
        with _progress_bar("fetching", len(urls), progress) as advance:
            pages = workspace.ingest_urls(urls, policy=policy, refetch=refetch, progress=advance)
        for page in pages:
            summary.problems.extend(page.problems)
            if page.article_id is None:
                continue
            summary.read += 1
            summary.article_ids.append(page.article_id)
            if page.added:
                summary.added += 1
            else:
                summary.unchanged += 1
    return summary


def _print_summary(summary: IngestSummary, db_path: Path) -> None:
    click.echo(
        f"read {summary.read} documents: {summary.added} new, {summary.unchanged} already "
        f"stored, {len(summary.problems)} problems · workspace {db_path}"
    )
    for problem in summary.problems:
        click.echo(f"  problem [{problem.code}] {problem.message}", err=True)


def fetch_options(function: Callable[..., None]) -> Callable[..., None]:
    """Options shared by every command that reaches the web."""
    options = [
        click.option(
            "--allow-private",
            is_flag=True,
            help="Allow fetching loopback, private and link-local addresses (refused by "
            "default, so a pasted link cannot reach into your network).",
        ),
        click.option(
            "--timeout",
            "timeout_s",
            type=click.FloatRange(min=0.1),
            default=15.0,
            show_default=True,
            help="Seconds to wait for a server before retrying (twice, with backoff).",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _policy(allow_private: bool, timeout_s: float, max_bytes: int | None = None) -> FetchPolicy:
    from storyline.sources.fetch import FetchPolicy

    if max_bytes is None:
        return FetchPolicy(allow_private=allow_private, timeout_s=timeout_s)
    return FetchPolicy(allow_private=allow_private, timeout_s=timeout_s, max_bytes=max_bytes)


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@db_option
@limit_options
@fetch_options
@click.option(
    "--refetch",
    is_flag=True,
    help="Fetch URLs again even when their page is stored (by default a stored page is "
    "re-read from its saved HTML, with no request).",
)
def ingest(
    inputs: tuple[str, ...],
    db_path: Path,
    max_article_bytes: int,
    progress: bool | None,
    allow_private: bool,
    timeout_s: float,
    refetch: bool,
) -> None:
    """Read, clean and store articles from INPUTS: files, folders, - for stdin, web
    archives (.warc, .warc.gz) or http(s) URLs of article pages.

    Ingesting the same input twice adds nothing: article ids are content hashes.
    A broken file or line, or a page that cannot be fetched, is reported as a problem and
    the rest is still ingested.

    URLs are fetched politely: a Storyline User-Agent, robots.txt honoured, timeouts and
    retries with backoff, at most 5 redirects, pages over --max-article-bytes refused. The
    raw HTML is kept (compressed) in the workspace, so re-ingesting re-extracts without a
    request. The outlet comes from the site's domain (see data/outlet_domains.toml).

    \b
    Examples:
      storyline ingest ~/news/                  # every .txt/.html/.jsonl/.csv/.warc inside
      storyline ingest https://example.org/news/2024/12/05/hama.html
      storyline ingest crawl.warc.gz            # HTML responses, dated by capture if need be
      cat article.txt | storyline ingest -      # one article from stdin
    """

    def action() -> None:
        with _workspace(db_path, max_article_bytes) as workspace:
            summary = _ingest_with_progress(
                workspace,
                inputs,
                progress,
                _policy(allow_private, timeout_s, max_article_bytes),
                refetch,
            )
            _print_summary(summary, db_path)
            if summary.read == 0 and summary.problems:
                sys.exit(1)

    _run(action)


@cli.group()
def feeds() -> None:
    """Follow outlets through their RSS or Atom feeds.

    \b
    Examples:
      storyline feeds add https://example.org/world/rss.xml --outlet "Example News"
      storyline feeds list
      storyline feeds pull            # new items only; then `storyline run`
      storyline watch --every 15      # pull and run every 15 minutes
    """


@feeds.command(name="add")
@click.argument("url")
@click.option(
    "--outlet", default=None, help="Outlet name for its items (default: from the domain)."
)
@db_option
def feeds_add(url: str, outlet: str | None, db_path: Path) -> None:
    """Subscribe to the feed at URL (nothing is fetched until `feeds pull`)."""

    def action() -> None:
        with _workspace(db_path) as workspace:
            added = workspace.add_feed(url, outlet)
        click.echo(f"{'added' if added else 'already subscribed'}: {url}")

    _run(action)


@feeds.command(name="remove")
@click.argument("url")
@db_option
def feeds_remove(url: str, db_path: Path) -> None:
    """Unsubscribe (articles already ingested stay)."""

    def action() -> None:
        with _workspace(db_path) as workspace:
            removed = workspace.remove_feed(url)
        if not removed:
            raise click.ClickException(f"not subscribed: {url}")
        click.echo(f"removed: {url}")

    _run(action)


@feeds.command(name="list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per feed.")
def feeds_list(db_path: Path, as_json: bool) -> None:
    """Subscribed feeds, with when each was last pulled and how that went."""

    def action() -> None:
        with _workspace(db_path) as workspace:
            found = workspace.feeds()
        for feed in found:
            if as_json:
                click.echo(json.dumps(dataclasses.asdict(feed), ensure_ascii=False))
                continue
            pulled = f"pulled {feed.last_pulled}: {feed.last_status}" if feed.last_pulled else ""
            click.echo(f"{feed.url}  {feed.outlet or feed.title or ''}  {pulled or 'never pulled'}")
        if not as_json:
            click.echo(f"{len(found)} feeds")

    _run(action)


@feeds.command(name="pull")
@db_option
@fetch_options
@click.option("--progress/--no-progress", default=None, help="Show a progress bar.")
def feeds_pull(db_path: Path, allow_private: bool, timeout_s: float, progress: bool | None) -> None:
    """Fetch every feed (conditional GET: nothing is downloaded when it did not change) and
    ingest the pages of items not seen before. Run `storyline run` afterwards, or use
    `storyline watch`, to place them in stories."""

    def action() -> None:
        with (
            _workspace(db_path) as workspace,
            _progress_bar("pulling feeds", len(workspace.feeds()), progress) as advance,
        ):
            results = workspace.pull_feeds(
                policy=_policy(allow_private, timeout_s), progress=advance
            )
        for result in results:
            _print_feed_result(result)
        if not results:
            click.echo("no feeds: add one with `storyline feeds add URL`")

    _run(action)


def _print_feed_result(result: FeedResult) -> None:
    click.echo(
        f"{result.url}: {result.status}, {result.entries} items, {result.new} new, "
        f"{result.added} articles added"
    )
    for problem in result.problems + [p for page in result.pages for p in page.problems]:
        click.echo(f"  problem [{problem.code}] {problem.message}", err=True)


@cli.command()
@db_option
@click.option(
    "--every",
    "every_min",
    type=click.FloatRange(min=0.0),
    default=15.0,
    show_default=True,
    help="Minutes between the starts of two cycles.",
)
@click.option(
    "--cycles",
    type=click.IntRange(min=1),
    default=None,
    help="Stop after N cycles (default: never).",
)
@fetch_options
def watch(
    db_path: Path, every_min: float, cycles: int | None, allow_private: bool, timeout_s: float
) -> None:
    """Keep the workspace current: pull every feed, then run the stages so new articles
    join stories and the stories' facts and contradictions update; repeat every few
    minutes. Stop with Ctrl-C (finished work is saved).

    While it runs, `storyline serve` shows what changed at /changes?since=TIME.

    \b
    Examples:
      storyline watch --every 15
      storyline watch --every 0 --cycles 1     # one pull-and-run, for cron
    """

    def action() -> None:
        from storyline.sources.watch import Cycle
        from storyline.sources.watch import watch as watch_loop

        def report(cycle: Cycle) -> None:
            click.echo(
                f"[{cycle.started}] cycle {cycle.number}: {cycle.feeds} feeds, "
                f"{cycle.new_items} new items, {cycle.added} articles added · stories "
                f"{cycle.opened} opened, {cycle.joined} joined, {cycle.merged} merged · "
                f"cross-check {cycle.rechecked} stories, {cycle.contradictions} conflicts"
            )
            for problem in cycle.problems:
                click.echo(f"  problem [{problem.code}] {problem.message}", err=True)

        with _workspace(db_path) as workspace:
            if not workspace.feeds():
                raise click.ClickException(
                    "no feeds to watch: add one with `storyline feeds add URL`"
                )
            watch_loop(
                workspace,
                every_s=every_min * 60,
                cycles=cycles,
                policy=_policy(allow_private, timeout_s),
                on_cycle=report,
            )

    _run(action)


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for report.json, report.html and report.md (default: beside --db).",
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Workspace file to use (default: OUT/storyline.db, so the run can be browsed later).",
)
@limit_options
def analyze(
    inputs: tuple[str, ...],
    out_dir: Path | None,
    db_path: Path | None,
    max_article_bytes: int,
    progress: bool | None,
) -> None:
    """Ingest INPUTS, run every stage and write the report into --out.

    The report describes the whole workspace: analyzing into the same --out twice
    with the same inputs gives the same report.

    \b
    Examples:
      storyline analyze examples/ --out out/ && xdg-open out/report.html
      storyline analyze ../shared/seeds --db seeds.db && storyline serve --db seeds.db
    """

    def action() -> None:
        from storyline.report import write_report

        if out_dir is None and db_path is None:
            raise click.UsageError("give --out (a folder for the report) or --db (a workspace)")
        report_dir = out_dir if out_dir is not None else (db_path or Path(".")).parent
        db = db_path or report_dir / "storyline.db"
        with _workspace(db, max_article_bytes) as workspace:
            summary = _ingest_with_progress(workspace, inputs, progress)
            _print_summary(summary, db)
            stages = _run_with_progress(workspace, progress)
            dedupe = workspace.last_dedupe
            workspace_entities = workspace.last_extract.entities
            cc = workspace.last_crosscheck
            paths = write_report(workspace.report(), report_dir)
        click.echo(f"stages: {', '.join(stages)}")
        click.echo(_dedupe_line(dedupe.kinds))
        click.echo(f"entities: {workspace_entities} (storyline entities --db {db})")
        click.echo(
            f"cross-check: {cc.checked} stories, {cc.facts} facts, {cc.contradictions} "
            f"contradictions (storyline stories --db {db}, then storyline check ID --db {db})"
        )
        click.echo(f"report: {paths['html']} (also {paths['json'].name}, {paths['md'].name})")

    _run(action)


def _run_with_progress(workspace: Workspace, progress: bool | None) -> list[str]:
    label = "duplicates, entities, stories, cross-check, briefs"
    with _progress_bar(label, workspace.pending_for_run(), progress) as advance:
        return workspace.run(progress=advance)


def _dedupe_line(kinds: dict[str, int]) -> str:
    if not kinds:
        return "duplicates: none found"
    return "duplicate links: " + ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))


WORKERS_OPTION = click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Processes for extraction and cross-checks (0: one per core). Same results.",
)
EXECUTOR_OPTION = click.option(
    "--executor",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="Where the workers run: local processes, or Ray actors (needs the 'ray' extra; "
    "starts a local Ray instance unless --address names a cluster). Same results.",
)
ADDRESS_OPTION = click.option(
    "--address",
    default=None,
    metavar="HOST:PORT",
    help="With --executor ray: join this Ray cluster (e.g. ray://head:10001 or 'auto').",
)


@cli.command(name="run")
@db_option
@click.option("--progress/--no-progress", default=None, help="Show a progress bar.")
@WORKERS_OPTION
@EXECUTOR_OPTION
@ADDRESS_OPTION
def run_stages(
    db_path: Path, progress: bool | None, workers: int, executor: str, address: str | None
) -> None:
    """Run the corpus-level stages over everything ingested so far: duplicates,
    extraction (entities, places, times, numbers, quotes) and stories.

    Incremental: only articles added since the last run are processed; new articles join
    the stories already stored or open new ones (story ids never change).

    \b
    Scaling out (docs/scaling.md):
      storyline run --db news.db --workers 0                  # every core, local processes
      storyline run --db news.db --executor ray --workers 2   # a local Ray instance
      storyline run --db news.db --executor ray --address auto --workers 16
    """
    if address and executor != "ray":
        raise click.UsageError("--address only applies with --executor ray")

    def action() -> None:
        with _workspace(db_path, workers=workers, executor=executor, address=address) as workspace:
            stages = _run_with_progress(workspace, progress)
            click.echo(f"stages: {', '.join(stages)}")
            click.echo(_dedupe_line(workspace.last_dedupe.kinds))
            st = workspace.last_stories
            click.echo(
                f"stories: {st.stories} ({st.opened} opened, {st.joined} joined, "
                f"{st.merged} merged in this run)"
            )
            cc = workspace.last_crosscheck
            click.echo(
                f"cross-checked: {cc.checked} stories ({cc.facts} facts, "
                f"{cc.contradictions} contradictions; {cc.unchanged} unchanged)"
            )
            sy = workspace.last_synthesis
            click.echo(
                f"briefs and timelines: {sy.written} written ({sy.sentences} sentences, "
                f"{sy.events} dated events; {sy.unchanged} unchanged)"
            )

    _run(action)


@cli.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per group.")
def duplicates(db_path: Path, as_json: bool) -> None:
    """List duplicate groups: exact and near copies, wire copies carried by several
    outlets, and containments/composites (one article's text inside another's).

    Run `storyline run` (or `analyze`) first so new articles are compared.
    """

    def action() -> None:
        with _workspace(db_path) as workspace:
            entries = workspace.duplicates()
            titles = {a.id: a.title or a.text[:60].replace("\n", " ") for a in workspace.articles()}
        if as_json:
            for entry in entries:
                click.echo(json.dumps(entry, ensure_ascii=False))
            return
        for entry in entries:
            outlets = ", ".join(entry["outlets"]) or "unknown outlets"
            click.echo(f"{entry['kind']:<12} similarity {entry['similarity']:.2f} · {outlets}")
            for article_id in entry["articles"]:
                mark = "*" if article_id == entry["canonical"] else " "
                click.echo(f"  {mark} {article_id}  {titles.get(article_id, '')}")
        click.echo(f"{len(entries)} groups · * = canonical article")

    _run(action)


@cli.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per entity.")
@click.option(
    "--type",
    "type_",
    type=click.Choice(["PERSON", "ORG", "PLACE", "NORP"], case_sensitive=False),
    help="Only entities of this type.",
)
def entities(db_path: Path, as_json: bool, type_: str | None) -> None:
    """List people, organisations, places and groups, with every spelling merged into one
    entity (al-Jolani / al-Golani / Al Joulani) and places geocoded offline.

    Run `storyline run` (or `analyze`) first so new articles are extracted.
    """

    def action() -> None:
        with _workspace(db_path) as workspace:
            found = workspace.entities(type_.upper() if type_ else None)
        if as_json:
            for entity in found:
                click.echo(json.dumps(entity, ensure_ascii=False))
            return
        for entity in found:
            geo = entity["geo"]
            where = f"  ({geo['lat']:.2f}, {geo['lon']:.2f} {geo['gazetteer_id']})" if geo else ""
            aliases = f"  aka {', '.join(entity['aliases'][:5])}" if entity["aliases"] else ""
            click.echo(
                f"{entity['type']:<7}{entity['name']}  ×{len(entity['mentions'])}{where}{aliases}"
            )
        click.echo(f"{len(found)} entities")

    _run(action)


@cli.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per story.")
@click.option(
    "--rebuild",
    is_flag=True,
    help="First re-cluster every article at once (batch mode: document frequencies of the "
    "whole workspace, no arrival order). Story ids are kept where a story survives; splits "
    "and merges are recorded in each story's history.",
)
def stories(db_path: Path, as_json: bool, rebuild: bool) -> None:
    """List stories: groups of articles that report one real-world event, biggest first,
    with a neutral label built from what their articles share and their time span.

    Run `storyline run` (or `analyze`) first so new articles are placed. Runs place new
    articles incrementally; `--rebuild` re-optimises the whole grouping now and then.

    \b
    Examples:
      storyline stories
      storyline stories --rebuild     # batch re-clustering; prints what split or merged
      storyline story 8a81bd97        # one story: its articles and how it grew
    """

    def action() -> None:
        with _workspace(db_path) as workspace:
            if rebuild:
                done = workspace.rebuild_stories()
                click.echo(
                    f"rebuilt {done.stories} stories from {done.articles} articles: "
                    f"{done.unchanged} unchanged, {done.splits} split(s), {done.merges} "
                    f"merge(s), {done.placed} article(s) placed for the first time",
                    err=as_json,
                )
            found = workspace.stories()
        if as_json:
            for story in found:
                click.echo(json.dumps(story, ensure_ascii=False))
            return
        for story in found:
            span = _span(story["start"], story["end"])
            click.echo(
                f"{story['id'][:12]}  {len(story['article_ids']):>4} articles  {span:<23}  "
                f"{story['label']}"
            )
        click.echo(f"{len(found)} stories")

    _run(action)


def _span(start: str | None, end: str | None) -> str:
    if not start:
        return "undated"
    return start if start == end else f"{start} – {end}"


@cli.command()
@click.argument("story_id")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the story as JSON.")
def story(story_id: str, db_path: Path, as_json: bool) -> None:
    """Show one story: its label, span, articles (outlet, date, title) and how it grew
    (which article opened it, which joined, which stories were merged into it or split
    from it).
    An id prefix is enough."""

    def action() -> None:
        with _workspace(db_path) as workspace:
            found = workspace.story(story_id)
            articles = {a: workspace.article(a) for a in found["article_ids"]}
            events = workspace.story_events(found["id"])
        if as_json:
            click.echo(json.dumps({**found, "events": events}, ensure_ascii=False, indent=2))
            return
        click.echo(f"{found['label']}\n{found['id']}  {_span(found['start'], found['end'])}")
        for article_id, article in articles.items():
            outlet = article.outlet.name if article.outlet else "unknown outlet"
            day = article.published.iso() if article.published else "undated"
            title = article.title or article.text[:70].replace("\n", " ") + "…"
            click.echo(f"  {article_id[:12]}  {day:<10}  {outlet:<22}  {title}")
        for event in events:
            click.echo(f"  {event['at']}  {event['kind']:<5}  {event['other'] or ''}")

    _run(action)


@cli.command()
@click.argument("story_id")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the cross-check as JSON.")
def check(story_id: str, db_path: Path, as_json: bool) -> None:
    """Cross-check one story's sources: which facts each outlet reports (a fact x outlet
    matrix), which are corroborated by independent outlets, where outlets contradict each
    other (numbers, rankings, places, dates, attributions, negations), what only one outlet
    says, and the labels each outlet gives the actors. An id prefix is enough.

    \b
    Example:
      storyline analyze ../shared/seeds --out out && storyline check 4571 --db out/storyline.db
    """

    def action() -> None:
        from storyline.crosscheck.render import check_text

        with _workspace(db_path) as workspace:
            found = workspace.check(story_id)
        if as_json:
            click.echo(json.dumps(found, ensure_ascii=False, indent=2))
            return
        click.echo(check_text(found))

    _run(action)


@cli.command()
@click.argument("story_id")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the brief as JSON (with citations).")
@click.option(
    "--llm-model",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Rewrite the sentences with a local GGUF model (needs llama-cpp-python).",
)
@click.option("--llm-endpoint", help="... or with an OpenAI-compatible server (its /v1 URL).")
@click.option("--llm-name", default="default", help="The model name to ask the endpoint for.")
def brief(
    story_id: str,
    db_path: Path,
    as_json: bool,
    llm_model: Path | None,
    llm_endpoint: str | None,
    llm_name: str,
) -> None:
    """A neutral brief of one story: 5-10 sentences, corroborated facts first, disputes
    with each side attributed; every sentence cites the outlets (and, with --json, the exact
    spans) it rests on, and every number, name and date in it appears in those spans.

    \b
    With --llm-model or --llm-endpoint a model rewrites each fact sentence; a rewrite whose
    numbers, names or dates are not in the cited spans (or that labels an actor in a loaded
    way) is rejected and the extractive sentence kept. Each sentence says who wrote it.

    \b
    Examples:
      storyline brief 4571 --db out/storyline.db
      storyline brief 4571 --db out/storyline.db --llm-model SmolLM2-135M-Instruct.Q4_1.gguf
    """

    def action() -> None:
        from storyline.synthesis.brief import BriefSentence

        with _workspace(db_path) as workspace:
            found = workspace.synthesis(story_id)
        rejected: list[str] = []
        if llm_model is not None or llm_endpoint:
            from storyline.synthesis.writers import (
                LlamaCppWriter,
                OpenAICompatibleWriter,
                Writer,
                rewrite_brief,
            )

            writer: Writer = (
                LlamaCppWriter(llm_model)
                if llm_model is not None
                else OpenAICompatibleWriter(str(llm_endpoint), llm_name)
            )
            sentences = [BriefSentence.from_dict(s) for s in found["brief"]]
            from storyline.stories.embeddings import Embedder

            rewritten, log = rewrite_brief(sentences, writer, Embedder().embed)
            found["brief"] = [s.as_dict() for s in rewritten]
            rejected = [
                f"  rejected: {r.proposed!r} (failed: {', '.join(r.missing)})"
                if r.error is None
                else f"  writer failed: {r.error}"
                for r in log
                if not r.accepted
            ]
        if as_json:
            click.echo(json.dumps(found["brief"], ensure_ascii=False, indent=2))
            return
        click.echo(f"{found['label']}\n{found['id']}  {_span(found['start'], found['end'])}\n")
        if not found["brief"]:
            click.echo(
                "(no brief: run `storyline run` first, or the story has no statement to cite)"
            )
        for number, sentence in enumerate(found["brief"], 1):
            note = (
                "  [label edited: " + "; ".join(sentence["edited"]) + "]"
                if sentence["edited"]
                else ""
            )
            by = "" if sentence["backend"] == "extractive" else f"  ({sentence['backend']})"
            outlets = ", ".join(sentence["outlets"])
            click.echo(f"{number}. {sentence['text']} [{outlets}]{note}{by}")
        if rejected:
            click.echo("\nRewrites the check rejected:")
            click.echo("\n".join(rejected))

    _run(action)


@cli.command()
@click.argument("story_id")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the events as JSON.")
@click.option(
    "--svg",
    "svg_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the timeline plot to this SVG file.",
)
def timeline(story_id: str, db_path: Path, as_json: bool, svg_path: Path | None) -> None:
    """The dated events of one story, merged across outlets: the news, and apart from it the
    history the articles recall (marked background). Each event lists the outlets that tell it.

    \b
    Example:
      storyline timeline 4571 --db out/storyline.db --svg hama.svg
    """

    def action() -> None:
        with _workspace(db_path) as workspace:
            found = workspace.synthesis(story_id)
        if svg_path is not None:
            svg_path.write_text(found["timeline_svg"], encoding="utf-8")
        if as_json:
            click.echo(json.dumps(found["timeline"], ensure_ascii=False, indent=2))
            return
        click.echo(f"{found['label']}\n{found['id']}\n")
        heading = None
        for event in found["timeline"]:
            part = "History (background)" if event["background"] else "The news"
            if part != heading:
                click.echo(part)
                heading = part
            text = " ".join(event["text"].split())
            click.echo(f"  {event['date']:<10}  {text[:100]}  [{', '.join(event['outlets'])}]")
        if svg_path is not None:
            click.echo(f"\nplot: {svg_path}")

    _run(action)


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
def serve(db_path: Path, host: str, port: int) -> None:
    """Browse the workspace in a local web app: stories (search, filter by outlet and date),
    each story's brief with citations on hover, timeline, map, fact x outlet matrix,
    contradictions and framing; articles with their annotations highlighted; outlets.
    Every page has a JSON twin under /api (documented at /openapi.json). Read-only; listens on
    127.0.0.1 unless told otherwise.

    \b
    Example:
      storyline analyze ../shared/seeds --out out && storyline serve --db out/storyline.db
    """

    def action() -> None:
        import uvicorn

        from storyline.web.app import create_app

        if not db_path.exists():
            raise NotFoundError(
                f"no workspace at {db_path}: run `storyline analyze` or `ingest` first"
            )
        with _workspace(db_path) as workspace:
            if host not in ("127.0.0.1", "localhost", "::1"):
                click.echo(
                    f"warning: listening on {host}: anyone who can reach it can read the workspace",
                    err=True,
                )
            click.echo(f"serving {db_path} at http://{host}:{port}/ (Ctrl+C stops)")
            uvicorn.run(create_app(workspace), host=host, port=port, log_level="warning")

    _run(action)


@cli.group(name="eval")
def eval_group() -> None:
    """Score Storyline against labelled data (the dev sets in ../shared/data or your own)."""


@eval_group.command(name="cluster")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--label", "label_field", required=True, help="The field holding the gold story.")
@click.option(
    "--precise",
    is_flag=True,
    help="Blend in MiniLM sentence embeddings (the precise pass): slower, see docs/stories.md.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the scores as one JSON object.")
def eval_cluster(path: Path, label_field: str, precise: bool, as_json: bool) -> None:
    """Cluster the articles of a labelled JSONL file and score the stories against the
    labels: BCubed precision / recall / F1 (the headline), pairwise F1 and adjusted Rand.

    \b
    Examples:
      storyline eval cluster ../shared/data/ecbplus_dev.jsonl --label subtopic
      storyline eval cluster ../shared/data/basil.jsonl --label story --json
    """

    def action() -> None:
        import dataclasses
        import time

        from storyline.evaluation.cluster_eval import load_labelled, score_clustering
        from storyline.stories.cluster import cluster_records

        records, gold = load_labelled(path, label_field)
        start = time.perf_counter()
        embeddings = None
        if precise:
            import numpy as np

            from storyline.stories.embeddings import Embedder, embedding_text

            texts = [embedding_text(r) for r in records]
            embedder, parts = Embedder(), []
            with _progress_bar("embedding (MiniLM)", len(texts), None) as advance:
                for first in range(0, len(texts), EMBED_CHUNK):
                    parts.append(embedder.embed(texts[first : first + EMBED_CHUNK]))
                    if advance:
                        advance(len(parts[-1]))
            embeddings = np.concatenate(parts)
        predicted = cluster_records(records, embeddings=embeddings)
        seconds = time.perf_counter() - start
        scores = score_clustering(gold, predicted)
        if as_json:
            result = {**dataclasses.asdict(scores), "seconds": round(seconds, 2)}
            click.echo(json.dumps({"file": str(path), "label": label_field, **result}))
            return
        click.echo(f"{path.name}: {scores.items} articles, {scores.gold_clusters} gold stories")
        click.echo(
            f"BCubed  P {scores.bcubed_precision:.3f}  R {scores.bcubed_recall:.3f}  "
            f"F1 {scores.bcubed_f1:.3f}"
        )
        click.echo(
            f"pairwise  P {scores.pairwise_precision:.3f}  R {scores.pairwise_recall:.3f}  "
            f"F1 {scores.pairwise_f1:.3f}"
        )
        click.echo(f"ARI {scores.ari:.3f}   predicted stories {scores.predicted_clusters}")
        rate = scores.items / seconds if seconds else float("inf")
        mode = "precise (TF-IDF + embeddings)" if precise else "fast (TF-IDF)"
        click.echo(f"{mode}: {seconds:.1f} s, {rate:,.0f} articles/s")

    _run(action)


@cli.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead of a table.")
@click.option("--outlet", help="Only articles from this outlet.")
@click.option("--search", "query", help="Full-text search over titles and texts.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many.")
def articles(
    db_path: Path, as_json: bool, outlet: str | None, query: str | None, limit: int | None
) -> None:
    """List stored articles: id, outlet, date, title.

    \b
    Examples:
      storyline articles --outlet Bloomberg
      storyline articles --search "Hama withdrawal" --json
    """

    def action() -> None:
        from storyline.report.report import article_to_dict

        with _workspace(db_path) as workspace:
            if query:
                hits = workspace.search(query, limit or 20)
                found = [hit.article for hit in hits]
                snippets = {hit.article.id: hit.snippet for hit in hits}
            else:
                found = workspace.articles(outlet=outlet, limit=limit)
                snippets = {}
            if as_json:
                for article in found:
                    record = article_to_dict(article)
                    if article.id in snippets:
                        record["snippet"] = snippets[article.id]
                    click.echo(json.dumps(record, ensure_ascii=False))
                return
            _print_table(found, snippets, workspace.store.count_articles())

    _run(action)


def _print_table(found: list[Any], snippets: dict[str, str], total: int) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table(show_lines=False, header_style="bold")
    for column in ("id", "outlet", "published", "title"):
        table.add_column(column, overflow="fold")
    for article in found:
        outlet = (
            article.outlet.name + ("*" if article.outlet.inferred else "")
            if article.outlet
            else "—"
        )
        date = article.published.iso() if article.published else "—"
        title = article.title or article.text[:70].replace("\n", " ") + "…"
        if article.id in snippets:
            title += "\n  " + snippets[article.id]
        table.add_row(article.id, escape(outlet), date, escape(title))
    console = Console()
    console.print(table)
    console.print(f"{len(found)} shown of {total} stored · * = read from the text (inferred)")


@cli.command()
@click.argument("article_id")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the article as JSON.")
def show(article_id: str, db_path: Path, as_json: bool) -> None:
    """Show one article: metadata, cleaned text and what cleaning removed.

    ARTICLE_ID may be any unique prefix of the id shown by `storyline articles`.
    """

    def action() -> None:
        from storyline.report.report import article_to_dict

        with _workspace(db_path) as workspace:
            article = workspace.article(article_id)
            record = article_to_dict(article, workspace.sources_of(article.id))
        if as_json:
            click.echo(json.dumps(record, ensure_ascii=False, indent=2))
            return
        outlet = record["outlet"]
        published = record["published"]
        click.echo(f"id:        {record['id']}")
        click.echo(f"title:     {record['title'] or '—'}")
        click.echo(
            "outlet:    "
            + ("—" if outlet is None else outlet["name"])
            + (f"  (inferred: {outlet['evidence']})" if outlet and outlet["inferred"] else "")
        )
        click.echo(
            "published: "
            + ("—" if published is None else f"{published['date']} ({published['granularity']}")
            + ("" if published is None else (", inferred)" if published["inferred"] else ")"))
        )
        click.echo(f"byline:    {record['byline'] or '—'}")
        click.echo(f"language:  {record['language'] or '—'}")
        click.echo(f"sources:   {', '.join(record['sources'])}")
        click.echo("")
        click.echo(record["text"])
        if record["removed"]:
            click.echo("\n-- removed while cleaning --")
            for item in record["removed"]:
                click.echo(f"[{item['kind']}] {item['text']}")

    _run(action)


@cli.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
def problems(db_path: Path, as_json: bool) -> None:
    """List the problems met while reading and cleaning inputs."""

    def action() -> None:
        with _workspace(db_path) as workspace:
            found = workspace.problems()
        for problem in found:
            if as_json:
                click.echo(
                    json.dumps(
                        {
                            "stage": problem.stage,
                            "item": problem.item,
                            "code": problem.code,
                            "message": problem.message,
                        },
                        ensure_ascii=False,
                    )
                )
            else:
                click.echo(f"[{problem.code}] {problem.message}")
        if not as_json:
            click.echo(f"{len(found)} problems")

    _run(action)


def main() -> None:
    cli(prog_name="storyline")


if __name__ == "__main__":
    main()
