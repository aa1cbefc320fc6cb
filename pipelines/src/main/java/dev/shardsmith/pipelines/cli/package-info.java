/** The command line: {@code run}, {@code demo}, {@code validate} and {@code inspect}. */
package dev.shardsmith.pipelines.cli;
