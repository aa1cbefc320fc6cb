/**
 * Pipeline assembly per modality, the run's staging and commit, and the {@code inspect} check. The
 * CLI in {@code cli} turns arguments into a {@link dev.shardsmith.pipelines.config.RunConfig} and
 * Beam options, and calls {@link dev.shardsmith.pipelines.Runs}.
 */
package dev.shardsmith.pipelines;
