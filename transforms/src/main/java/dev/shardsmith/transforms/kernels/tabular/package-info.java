/**
 * Reading tabular files (CSV, Parquet) into feature rows, without Beam: an RFC 4180 CSV record
 * reader, the column spec a run resolves from the config and the first file's header, and a
 * streaming reader that turns each file's rows into features or row-level rejections.
 */
package dev.shardsmith.transforms.kernels.tabular;
