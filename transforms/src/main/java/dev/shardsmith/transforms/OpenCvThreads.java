package dev.shardsmith.transforms;

import java.lang.reflect.Method;
import org.apache.beam.sdk.options.PipelineOptions;
import org.bytedeco.opencv.global.opencv_core;

/**
 * OpenCV's thread count for image DoFns, so that Beam's worker threads times OpenCV's threads stay
 * within the cores: {@code max(1, cores / workers)}, where {@code workers} is the runner's
 * parallelism, read from the pipeline options when the runner's options class is present:
 * DirectRunner's {@code --targetParallelism} (its default: {@code max(cores, 3)}), FlinkRunner's
 * {@code --parallelism} (when set, else the cores). With neither, {@code workers} is the cores, so
 * OpenCV runs one thread per worker. OpenCV's pool is process-wide, so the count is set once per
 * value, not per thread.
 *
 * <pre>{@code
 * OpenCvThreads.set(OpenCvThreads.forWorkers(cores, OpenCvThreads.workers(options)));
 * }</pre>
 */
public final class OpenCvThreads {
  private OpenCvThreads() {}

  private static int current = -1;

  /** {@code max(1, cores / workers)}. */
  public static int forWorkers(int cores, int workers) {
    if (cores < 1 || workers < 1) {
      throw new IllegalArgumentException(
          "cores and workers must be >= 1, but were " + cores + " and " + workers);
    }
    return Math.max(1, cores / workers);
  }

  /** The runner's worker threads per process, from {@code options} (see the class comment). */
  public static int workers(PipelineOptions options) {
    int cores = Runtime.getRuntime().availableProcessors();
    Integer direct =
        property(options, "org.apache.beam.runners.direct.DirectOptions", "getTargetParallelism");
    if (direct != null && direct > 0) {
      return direct;
    }
    Integer flink =
        property(options, "org.apache.beam.runners.flink.FlinkPipelineOptions", "getParallelism");
    if (flink != null && flink > 0) {
      return flink;
    }
    return cores;
  }

  /** Sets OpenCV's thread count, when it differs from the last one set here. */
  public static synchronized void set(int threads) {
    if (threads != current) {
      opencv_core.setNumThreads(threads);
      current = threads;
    }
  }

  private static Integer property(PipelineOptions options, String iface, String getter) {
    Class<? extends PipelineOptions> cls;
    try {
      cls = Class.forName(iface).asSubclass(PipelineOptions.class);
    } catch (ClassNotFoundException e) {
      return null; // that runner is not on the classpath
    }
    if (!cls.isInstance(options) && options.getRunner() != null) {
      String runner = options.getRunner().getSimpleName();
      if (!iface.contains(runner.replace("Runner", "").toLowerCase(java.util.Locale.ROOT))) {
        return null; // another runner's option: not the one this pipeline runs on
      }
    }
    try {
      Method m = cls.getMethod(getter);
      Object v = m.invoke(options.as(cls));
      return v instanceof Number n ? n.intValue() : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
