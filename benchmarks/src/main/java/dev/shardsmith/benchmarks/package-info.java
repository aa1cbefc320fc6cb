/**
 * Benchmark mains run by {@code benchmarks/run NAME}: each measures one of our code paths on the
 * same data and with the same loop as its Python peer in {@code benchmarks/peers/}, and prints
 * {@link dev.shardsmith.benchmarks.ResultLine} lines that the runner turns into a table and {@code
 * RATIO} lines. Timing lives here and never in unit tests.
 */
package dev.shardsmith.benchmarks;
