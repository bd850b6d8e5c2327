"""core: what every stage stands on. Imports no other group (libraries only).

config (typed stage configs: dataclass <- YAML <- flags), storage (local and
s3:// paths, the complete-or-absent publication protocol), records (the one
record type, its reader and writer), layout (artifact file names), adapters
(the guide's adapter table), errors (the one-line UserError), summary (stage
summaries), isolated_pool (a worker pool that survives a crashing record).
"""
