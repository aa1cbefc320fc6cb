package dev.shardsmith.pipelines.cli;

import dev.shardsmith.pipelines.Inspect;
import dev.shardsmith.pipelines.Runs;
import dev.shardsmith.pipelines.config.ConfigException;
import dev.shardsmith.pipelines.config.RunConfig;
import dev.shardsmith.schemas.Counts;
import dev.shardsmith.schemas.Manifest;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code shardsmith run|demo|validate|inspect}. Exit code 0 on success; otherwise non-zero with a
 * one-line reason on stderr (2 for a bad config or bad arguments, 1 for a failed run or a failed
 * check).
 */
@Command(
    name = "shardsmith",
    mixinStandardHelpOptions = true,
    version = "shardsmith " + Runs.TOOL_VERSION,
    description = "Prepares datasets on Apache Beam: read, validate, split, augment, shard.",
    subcommands = {
      ShardsmithCli.Run.class,
      ShardsmithCli.Demo.class,
      ShardsmithCli.Validate.class,
      ShardsmithCli.InspectCommand.class
    })
public final class ShardsmithCli implements Callable<Integer> {
  // Where subcommands print: the streams given to execute, not System.out/err, so a caller (a
  // test, an embedding tool) sees everything the command says.
  private final PrintStream out;
  private final PrintStream err;

  private ShardsmithCli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  static final String RUNNER_HELP =
      "DirectRunner (default, in this process) or FlinkRunner (an embedded Flink mini-cluster by"
          + " default; --flinkMaster=host:port for a session cluster). Real runs turn the"
          + " DirectRunner's immutability and encodability checks off (tests keep them on).";

  @Override
  public Integer call() {
    CommandLine.usage(this, out);
    return 2;
  }

  /** Runs the CLI and returns the exit code (for tests and for {@code main}). */
  public static int execute(PrintStream out, PrintStream err, String... args) {
    CommandLine cl = new CommandLine(new ShardsmithCli(out, err));
    cl.setOut(new java.io.PrintWriter(out, true));
    cl.setErr(new java.io.PrintWriter(err, true));
    cl.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof ConfigException) {
            err.println("shardsmith: config error: " + e.getMessage());
            return 2;
          }
          err.println("shardsmith: " + cmd.getCommandName() + " failed: " + oneLine(e));
          if (Boolean.getBoolean("shardsmith.debug")) {
            e.printStackTrace(err);
          }
          return 1;
        });
    cl.setParameterExceptionHandler(
        (e, a) -> {
          err.println("shardsmith: " + e.getMessage() + " (see --help)");
          return 2;
        });
    return cl.execute(args);
  }

  public static void main(String[] args) {
    System.exit(execute(System.out, System.err, args));
  }

  static String oneLine(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String msg = root.getMessage() == null ? "" : ": " + root.getMessage();
    return (root.getClass().getSimpleName() + msg).replaceAll("\\s+", " ").trim();
  }

  /** Options shared by run and demo. */
  static class RunOptions {
    @CommandLine.ParentCommand ShardsmithCli cli;

    @Option(
        names = "--output",
        paramLabel = "DIR",
        description = "Output folder (overrides output.dir of the config).")
    Path output;

    @Option(
        names = "--runner",
        paramLabel = "RUNNER",
        defaultValue = "DirectRunner",
        description = RUNNER_HELP)
    String runner;

    @CommandLine.Unmatched List<String> beamOptions = new ArrayList<>();

    List<String> beamArgs() {
      List<String> args = new ArrayList<>();
      args.add("--runner=" + runner);
      if (runner.equals("DirectRunner") || runner.endsWith(".DirectRunner")) {
        args.add("--enforceImmutability=false");
        args.add("--enforceEncodability=false");
      }
      for (String o : beamOptions) {
        if (!o.startsWith("--")) {
          throw new CommandLine.ParameterException(
              new CommandLine(new ShardsmithCli(System.out, System.err)),
              "unexpected argument '" + o + "': Beam options look like --name=value");
        }
        args.add(o);
      }
      return args;
    }

    int runAndSummarise(RunConfig config, PrintStream out) throws Exception {
      if (output != null) {
        config = config.withOutputDir(output.toAbsolutePath().normalize());
      }
      long t0 = System.nanoTime();
      Manifest m = Runs.run(config, beamArgs());
      summarise(m, config.output().dir(), (System.nanoTime() - t0) / 1e9, out);
      return 0;
    }
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = {
        "Runs one config: shards, splits.parquet, rejected/ and manifest.json (written last).",
        "Other --name=value options go to Beam (e.g. --targetParallelism=4, --parallelism=2)."
      })
  static final class Run extends RunOptions implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "YAML config.")
    Path config;

    @Override
    public Integer call() throws Exception {
      return runAndSummarise(RunConfig.load(config), cli.out);
    }
  }

  @Command(
      name = "demo",
      mixinStandardHelpOptions = true,
      description =
          "Runs the shipped sample config sample-data/demo.yaml (default --output out/demo).")
  static final class Demo extends RunOptions implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      Path home = Path.of(System.getProperty("shardsmith.home", "."));
      Path file = home.resolve("sample-data/demo.yaml");
      if (!Files.exists(file)) {
        throw new ConfigException(
            "the demo config " + file + " is missing (run ./shardsmith from the project folder)");
      }
      if (output == null) {
        output = Path.of("out/demo");
      }
      return runAndSummarise(RunConfig.load(file), cli.out);
    }
  }

  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      description = "Checks a config without reading any data; prints the effective config hash.")
  static final class Validate implements Callable<Integer> {
    @CommandLine.ParentCommand ShardsmithCli cli;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "YAML config.")
    Path config;

    @Override
    public Integer call() {
      RunConfig c = RunConfig.load(config);
      cli.out.println(
          "config ok: " + c.name() + " (seed " + c.seed() + ", config_sha256 " + c.sha256() + ")");
      return 0;
    }
  }

  @Command(
      name = "inspect",
      mixinStandardHelpOptions = true,
      description =
          "Verifies every file's sha256 against manifest.json and summarises the dataset.")
  static final class InspectCommand implements Callable<Integer> {
    @CommandLine.ParentCommand ShardsmithCli cli;

    @Parameters(paramLabel = "DIR", description = "A folder written by shardsmith run.")
    Path dir;

    @Override
    public Integer call() throws Exception {
      List<String> problems = Inspect.check(dir, cli.out);
      if (problems.isEmpty()) {
        return 0;
      }
      // The contract: non-zero with a one-line reason on stderr (stdout has the full list).
      cli.err.println(
          "shardsmith: inspect failed: "
              + problems.size()
              + " problem(s): "
              + String.join("; ", problems).replaceAll("\\s+", " "));
      return 1;
    }
  }

  static void summarise(Manifest m, Path out, double seconds, PrintStream ps) {
    Counts c = m.counts();
    ps.printf("shardsmith: %s done in %.1f s on %s -> %s%n", m.name(), seconds, m.runner(), out);
    ps.printf(
        "  sources: %d read, %d ok, rejected %s%n",
        c.sources().read(), c.sources().ok(), c.sources().rejected());
    ps.printf(
        "  samples: %d extracted, %d kept, filtered %s, rejected %s, derived %s, %d written%n",
        c.samples().extracted(),
        c.samples().kept(),
        c.samples().filtered(),
        c.samples().rejected(),
        c.samples().derived(),
        c.samples().written());
    for (Map.Entry<String, Manifest.SplitSummary> e : m.splits().entrySet()) {
      Manifest.SplitSummary s = e.getValue();
      ps.printf(
          "  %-5s %6d rows  requested %.3f achieved %.3f  %s%n",
          e.getKey(),
          s.count(),
          s.requested(),
          s.achieved(),
          s.missingClasses().isEmpty() ? "" : "missing classes " + s.missingClasses());
    }
    long shards = m.shards().stream().map(e -> e.split() + "/" + e.shard()).distinct().count();
    ps.printf(
        "  %d shards in %d files, manifest %s%n",
        shards, m.shards().size(), out.resolve("manifest.json"));
  }
}
