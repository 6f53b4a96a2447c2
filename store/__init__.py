"""claimdesk persistence: the database folder, export, agreement, stats, doctor.

Layout of a database folder (``--db``, default ``./claimdesk.db``), schema version 4::

    claimdesk.db/                 0700 (0770 + setgid with group_shared)
      corpus.json                 TinyDB file: tables meta (format, schema_version, shards,
                                  group_shared, created, updated, links), articles, shared,
                                  claims, families, suggestions.  Written by ingest only. The
                                  claims are one document of columns: ids, article ids and each
                                  claim's positional values as a JSON string (parsed when the
                                  claim is first built), its attribution and entities positions
                                  in "shared", text left out when it is its article's slice;
                                  the suggestions are columns too (read as a lazy mapping).
      links-<generation>.json     the corpus' links (meta["links"]["file"] names it): compact
                                  positional rows, reasons and claim ids interned; read only
                                  when first used (`Corpus.links_of`, `.linkage.links`,
                                  `Corpus.load_links`). Written once, never changed: an ingest
                                  writes a new generation before corpus.json, then removes the
                                  files neither corpus.json nor its backup name (`store.links`).
      corpus.json.bak             the previous good copy (for `claimdesk doctor --restore`)
      judgements/j-000.json ...   TinyDB files, table "judgements", sharded by crc32(claim id)
      judgements/j-NNN.json.bak   (64 shards): current values and a change count per judgement;
                                  a tag rewrites one small file, never the corpus.
      judgements/h-NNN.jsonl      each shard's history: one line per change, appended and
                                  fsynced before the shard is replaced; a line counts once the
                                  shard's change count covers it (`store.history`).
      reviewers.json              every reviewer name stored (a new name is checked against it
                                  for a case clash: `store.reviewers`)
      locks/*.lock                flock files (`store.locks`): "corpus" (ingest, migration), "j-NNN" (a shard)
      pages/<sha256>, pages/u-*.json   fetched web pages by content hash, and per URL its final URL,
                                  HTTP status, fetch time and body hash (`store.pages`; O_NOFOLLOW)
      corpus.json.v1              only after a migration from schema 1: the original file

Every file is written atomically (temp file in the same folder, fsync, os.replace, fsync of
the folder) with orjson (`store.storage.AtomicJSONStorage`); files are 0600, or 0660 for a
group-shared database. Schema 1 (the first version: judgements flat, without history, inside
corpus.json), schema 2 (links a table of corpus.json) and schema 3 (histories inside the shard
rows, claims as rows) are migrated on open (`store.migrate`); a newer schema is refused.

Writers take a lock (the shard's, or "corpus") and re-read the file under it; a lock held
too long is reported on stderr and retried, then LockTimeout is raised (nothing written).

No file of a database folder is opened through a symbolic link or as anything but a regular
file (`store.files`: O_NOFOLLOW, then fstat); a refusal is one line naming the file. A damaged
shard (empty, wrong shape, a malformed row) is never written over nor rotated into its backup;
`claimdesk doctor --restore` rebuilds it from its history log (`store.shards`).

Modules: database (Database: open, tag/untag/history, one ingest under the corpus lock;
IngestResult), layout (file names, schema, shard_of), errors (DatabaseError, LockTimeout,
UnknownClaim, DamagedShard), files (opening a file of the folder safely), locks (the flock),
storage (atomic orjson writes, AtomicJSONStorage), corpus (Corpus; corpus.json encoded and
decoded), corpus_tables (TinyDB tables), claim_rows (claims as stored; LazyClaims),
suggestion_table (SuggestionTable), corpus_files (corpus.json and its links file on disk),
corpus_merge (new articles merged into the corpus), links (the links file: LinkSource,
LazyLinkage), shards (a shard read strictly, old rows checked, rebuilt from its log), history
(the append-only logs), judgements (Judgement, Change), reviewers (names, the OS account),
build (fast data-class builders), gc_pause, migrate, export (write_export, COLUMNS), filters
(the --only / screen filters), agreement, stats, doctor.

The store only stores: the ingest pipeline (`tui/ingest.py`) reads the corpus under its lock
(`Database.corpus_update`), links it with the pure `extract.links.link_corpus`, then the store
writes; import-linter keeps the store from importing the linker and from import cycles.
"""
