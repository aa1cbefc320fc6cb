package dev.shardsmith.pipelines;

import dev.shardsmith.pipelines.config.ConfigException;
import dev.shardsmith.pipelines.config.RunConfig;
import dev.shardsmith.schemas.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one config end to end: prepare the output (old manifest deleted first), build and run the
 * pipeline on the runner the Beam options name, then verify and commit (manifest last). A failed
 * run leaves no manifest and removes its staging folder.
 *
 * <pre>{@code
 * Manifest m = Runs.run(RunConfig.load(Path.of("sample-data/demo.yaml")), List.of("--runner=DirectRunner"));
 * }</pre>
 */
public final class Runs {
  private Runs() {}

  private static final Logger LOG = LoggerFactory.getLogger(Runs.class);

  public static final String TOOL_VERSION = "0.1.0";

  public static Manifest run(RunConfig config, List<String> beamArgs) throws IOException {
    checkInputExists(config.input());
    PipelineOptions options =
        PipelineOptionsFactory.fromArgs(beamArgs.toArray(new String[0])).withValidation().create();
    options.setJobName("shardsmith-" + config.name().toLowerCase().replaceAll("[^a-z0-9-]", "-"));
    Instant started = Instant.now();
    // The run id names the staging folder and the run record only; no output byte depends on it.
    String runId =
        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(started)
            + "-"
            + ProcessHandle.current().pid();
    Path out = config.output().dir();
    Path staging = OutputCommit.prepare(out, config.output().mode(), runId);
    String runner = options.getRunner().getSimpleName();
    LOG.info("run {}: {} on {} into {}", runId, config.name(), runner, out);
    try {
      Pipeline p = Pipeline.create(options);
      if (config.input().tabular() != null) {
        TabularPipeline.build(p, config, staging);
      } else if (config.input().text() != null) {
        TextPipeline.build(p, config, staging);
      } else if (config.input().series() != null) {
        SeriesPipeline.build(p, config, staging);
      } else if (config.input().video() != null) {
        VideoPipeline.build(p, config, staging);
      } else {
        ImagePipeline.build(p, config, staging);
      }
      PipelineResult.State state = p.run().waitUntilFinish();
      if (state != PipelineResult.State.DONE) {
        throw new IllegalStateException("the pipeline ended in state " + state);
      }
      Map<String, Object> run = new LinkedHashMap<>();
      run.put("id", runId);
      run.put("runner", runner);
      run.put("started", started.toString());
      run.put("finished", Instant.now().toString());
      run.put("output", out.toAbsolutePath().toString());
      return OutputCommit.commit(out, staging, config, runner, run);
    } catch (RuntimeException | IOException | Error e) {
      OutputCommit.deleteTree(staging);
      throw e;
    }
  }

  /**
   * A missing input is a config error, caught before the output is touched: read as a folder of
   * nothing, it would otherwise commit an empty dataset over the previous one.
   */
  private static void checkInputExists(RunConfig.Input in) {
    if (in.tabular() != null) {
      in.tabular().resolve(); // lists the files and checks the columns of the first header
      return;
    }
    if (in.text() != null) {
      in.text().resolve(); // lists the files: a pattern matching nothing fails here
      return;
    }
    if (in.series() != null) {
      in.series().resolve(); // lists the files and checks the columns of the first header
      return;
    }
    if (in.video() != null) {
      in.video().resolve(); // lists the files: a pattern matching nothing fails here
      return;
    }
    if (in.root() != null && !Files.isDirectory(in.root())) {
      throw new ConfigException(
          "input.root = "
              + in.root()
              + " is not a folder: it must be a class-per-folder tree of images");
    }
    if (in.manifest() != null && !Files.isRegularFile(in.manifest())) {
      throw new ConfigException(
          "input.manifest = " + in.manifest() + " is not a file: it must be a CSV or JSONL file");
    }
    if (in.manifest() != null && in.manifest().toString().endsWith(".csv")) {
      String header;
      try (var r = Files.newBufferedReader(in.manifest())) {
        header = r.readLine();
      } catch (java.io.IOException e) {
        throw new ConfigException("input.manifest = " + in.manifest() + " cannot be read: " + e);
      }
      List<String> columns = header == null ? List.of() : List.of(header.split(",", -1));
      if (!columns.contains("path") || !columns.contains("label")) {
        throw new ConfigException(
            "input.manifest = "
                + in.manifest()
                + ": the CSV header must name the columns path and label (and may name group"
                + " and id), but was: "
                + header);
      }
    }
  }
}
