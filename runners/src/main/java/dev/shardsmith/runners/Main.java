package dev.shardsmith.runners;

import dev.shardsmith.pipelines.cli.ShardsmithCli;

/** The launcher's entry point: the CLI with every runner on the classpath. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(ShardsmithCli.execute(System.out, System.err, args));
  }
}
