/**
 * Reading text sources (JSON Lines, CSV, one {@code .txt} file per sample, {@code %}-separated
 * fortune files) into text records, without Beam: strict UTF-8 decoding per record, the optional
 * Unicode normalization and whitespace cleanup, and the empty and too-long filters.
 */
package dev.shardsmith.transforms.kernels.corpus;
