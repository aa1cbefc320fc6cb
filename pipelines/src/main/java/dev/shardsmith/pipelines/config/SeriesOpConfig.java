package dev.shardsmith.pipelines.config;

import dev.shardsmith.transforms.kernels.series.Drift;
import dev.shardsmith.transforms.kernels.series.Dropout;
import dev.shardsmith.transforms.kernels.series.Jitter;
import dev.shardsmith.transforms.kernels.series.MagnitudeWarp;
import dev.shardsmith.transforms.kernels.series.Permutation;
import dev.shardsmith.transforms.kernels.series.Scaling;
import dev.shardsmith.transforms.kernels.series.SeriesOp;
import dev.shardsmith.transforms.kernels.series.Shift;
import dev.shardsmith.transforms.kernels.series.Spawner;
import dev.shardsmith.transforms.kernels.series.SpawnerOp;
import dev.shardsmith.transforms.kernels.series.TimeWarp;
import dev.shardsmith.transforms.kernels.series.WindowSlice;
import dev.shardsmith.transforms.kernels.series.WindowWarp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of a time-series op list: {@code {op: <name>, p: <probability>, <parameters>}}, ranges
 * as {@code [low, high]}, strict like every section (unknown keys are errors). The op's own checks
 * give the allowed ranges; their message is prefixed with the entry's key. Defaults follow Iwana
 * and Uchida's survey code and tsaug where they give one. {@link RunConfig} calls {@link
 * #parseAugment} on the {@code augment} section of an {@code input.kind: series} run and puts
 * {@link #effective} into the manifest's effective config. docs/config.md lists every op with its
 * parameters and defaults.
 *
 * <pre>{@code
 * augment:
 *   copies: 2
 *   ops:
 *     - {op: scaling, p: 0.5, sigma: 0.1}
 *     - {op: jitter, sigma: [0.01, 0.05]}
 * }</pre>
 */
public final class SeriesOpConfig {
  private SeriesOpConfig() {}

  /** The op names {@code augment.ops[i].op} takes. */
  public static final List<String> NAMES =
      List.of(
          Jitter.NAME,
          Scaling.NAME,
          MagnitudeWarp.NAME,
          TimeWarp.NAME,
          WindowSlice.NAME,
          WindowWarp.NAME,
          Shift.NAME,
          Drift.NAME,
          Dropout.NAME,
          Permutation.NAME,
          Spawner.NAME);

  private static final double BIG = 1e9;

  /**
   * Reads (and so consumes, for {@link Section#finish()}) the series keys of {@code augment}: only
   * {@code ops}, in order, empty when absent. {@code copies}, {@code enabled}, {@code
   * include_original} and {@code copy_offset} stay with {@link RunConfig}.
   */
  public static List<SeriesOp> parseAugment(Section augment) {
    List<SeriesOp> ops = parseList(augment, "ops");
    for (int i = 1; i < ops.size(); i++) {
      if (ops.get(i) instanceof SpawnerOp) {
        throw new ConfigException(
            "augment.ops["
                + i
                + "] (spawner) must be augment.ops[0]: it mixes the window with a partner of its"
                + " class, and the other ops then act on the mix");
      }
    }
    return ops;
  }

  /**
   * Fails before any data is read when an op of {@code ops} (as {@link #parseAugment} returned
   * them) needs a longer window than the run cuts: {@code length} steps (named {@code lengthKey} in
   * the message, like {@code input.window}) with a horizon of {@code horizon} steps. Draws each op
   * once on a window of that shape; the length checks come before any random choice, so the result
   * does not depend on the draw.
   */
  public static void checkWindow(List<SeriesOp> ops, int length, int horizon, String lengthKey) {
    for (int i = 0; i < ops.size(); i++) {
      SeriesOp op = ops.get(i);
      try {
        op.draw(new java.util.SplittableRandom(i), length, 1, horizon);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            "augment.ops["
                + i
                + "] ("
                + op.name()
                + ") does not fit "
                + lengthKey
                + " = "
                + length
                + ": "
                + e.getMessage());
      }
    }
  }

  /**
   * The effective-config view of {@code ops}, for the manifest: {@code {ops: [{op, p, <params>}]}}
   * with every default filled in, under the same keys {@link #parseAugment} reads (ranges as
   * two-element lists), so that parsing it again gives the same ops.
   */
  public static Map<String, Object> effective(List<SeriesOp> ops) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (SeriesOp op : ops) {
      list.add(effective(op));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ops", list);
    return m;
  }

  private static Map<String, Object> effective(SeriesOp op) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("op", op.name());
    m.put("p", op.p());
    if (op instanceof Jitter o) {
      m.put("sigma", List.of(o.sigmaMin(), o.sigmaMax()));
    } else if (op instanceof Scaling o) {
      m.put("sigma", o.sigma());
    } else if (op instanceof MagnitudeWarp o) {
      m.put("sigma", o.sigma());
      m.put("knots", o.knots());
    } else if (op instanceof TimeWarp o) {
      m.put("sigma", o.sigma());
      m.put("knots", o.knots());
    } else if (op instanceof WindowSlice o) {
      m.put("ratio", List.of(o.ratioMin(), o.ratioMax()));
    } else if (op instanceof WindowWarp o) {
      m.put("window_ratio", o.windowRatio());
      m.put("scale", List.of(o.scaleMin(), o.scaleMax()));
    } else if (op instanceof Shift o) {
      m.put("shift", List.of(o.minShift(), o.maxShift()));
      m.put("padding", o.padding());
    } else if (op instanceof Drift o) {
      m.put("max_drift", List.of(o.maxMin(), o.maxMax()));
      m.put("points", o.points());
    } else if (op instanceof Dropout o) {
      m.put("rate", o.rate());
      m.put("size", o.size());
      m.put("fill", o.fill());
    } else if (op instanceof Permutation o) {
      m.put("segments", List.of(o.minSegments(), o.maxSegments()));
    } else if (op instanceof SpawnerOp o) {
      m.put("band", o.band());
      m.put("sigma", o.sigma());
    } else {
      throw new IllegalArgumentException(
          "no config form for series op " + op.name() + ": configurable ops are " + NAMES);
    }
    return m;
  }

  /** The entries of list {@code name} in {@code parent}, in order; empty when absent. */
  static List<SeriesOp> parseList(Section parent, String name) {
    List<SeriesOp> out = new ArrayList<>();
    for (Section s : parent.sections(name)) {
      out.add(parse(s));
    }
    return List.copyOf(out);
  }

  /** One entry; {@code p} defaults to 0.5. */
  static SeriesOp parse(Section s) {
    String name = s.choice("op", null, NAMES);
    double p = s.number("p", 0.5, 0, 1);
    SeriesOp op;
    try {
      op = build(name, p, s);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(s.key("") + " (" + name + "): " + e.getMessage());
    }
    s.finish();
    return op;
  }

  private static SeriesOp build(String name, double p, Section s) {
    switch (name) {
      case "jitter":
        {
          double[] sigma = s.range("sigma", new double[] {0.03, 0.03}, 0, BIG);
          return new Jitter(p, sigma[0], sigma[1]);
        }
      case "scaling":
        return new Scaling(p, s.number("sigma", 0.1, 0, BIG));
      case "spawner":
        return new SpawnerOp(p, s.number("band", 0.1, 0, 1), s.number("sigma", 0.05, 0, BIG));
      case "magnitude_warp":
        return new MagnitudeWarp(
            p, s.number("sigma", 0.2, 0, BIG), (int) s.integer("knots", 4, 0, 1000));
      case "time_warp":
        return new TimeWarp(
            p, s.number("sigma", 0.2, 0, BIG), (int) s.integer("knots", 4, 0, 1000));
      case "window_slice":
        {
          double[] ratio = s.range("ratio", new double[] {0.9, 0.9}, 0, 1);
          return new WindowSlice(p, ratio[0], ratio[1]);
        }
      case "window_warp":
        {
          double windowRatio = s.number("window_ratio", 0.1, 0, 1);
          double[] scale = s.range("scale", new double[] {0.5, 2.0}, 0, 100);
          return new WindowWarp(p, windowRatio, scale[0], scale[1]);
        }
      case "shift":
        {
          int[] shift = s.intRange("shift", new int[] {-10, 10}, -1_000_000_000, 1_000_000_000);
          String padding = s.choice("padding", "circular", Shift.PADDINGS);
          return new Shift(p, shift[0], shift[1], padding);
        }
      case "drift":
        {
          double[] max = s.range("max_drift", new double[] {0.5, 0.5}, 0, BIG);
          return new Drift(p, max[0], max[1], (int) s.integer("points", 3, 1, 10_000));
        }
      case "dropout":
        return new Dropout(
            p,
            s.number("rate", 0.05, 0, 1),
            (int) s.integer("size", 1, 1, 1_000_000_000),
            s.choice("fill", "previous", Dropout.FILLS));
      case "permutation":
        {
          int[] segments = s.intRange("segments", new int[] {2, 5}, 1, 100_000);
          return new Permutation(p, segments[0], segments[1]);
        }
      default:
        throw new IllegalStateException("unreachable: " + name + " was checked against NAMES");
    }
  }
}
