package dev.shardsmith.transforms;

import dev.shardsmith.schemas.Applied;
import dev.shardsmith.schemas.ImagePayload;
import dev.shardsmith.schemas.Payload;
import dev.shardsmith.schemas.Rejected;
import dev.shardsmith.schemas.RejectedCoder;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import dev.shardsmith.schemas.Split;
import dev.shardsmith.schemas.Targets;
import dev.shardsmith.schemas.VideoPayload;
import dev.shardsmith.transforms.kernels.annotation.BadAnnotationException;
import dev.shardsmith.transforms.kernels.annotation.LabelMasks;
import dev.shardsmith.transforms.kernels.image.AugmentSpec;
import dev.shardsmith.transforms.kernels.image.BadImageException;
import dev.shardsmith.transforms.kernels.image.ImageBackend;
import dev.shardsmith.transforms.kernels.image.ImageFusion;
import dev.shardsmith.transforms.kernels.image.ImageFusion.Rendered;
import dev.shardsmith.transforms.kernels.image.ImageHeader;
import dev.shardsmith.transforms.kernels.image.ImageHeaders;
import dev.shardsmith.transforms.kernels.image.PreprocessSpec;
import dev.shardsmith.transforms.kernels.image.TargetWarp;
import dev.shardsmith.transforms.kernels.image.ops.PixelOp;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The fused per-image step: each encoded image is decoded once and rendered by {@link ImageFusion}
 * to raw RGB rows. Every split gets its original, preprocessed only (a train original is left out
 * when {@link #withIncludeOriginal} is false); a {@code TRAIN} sample also yields {@code copyCount}
 * augmented copies with copy indices {@code copyOffset + i}, ids {@code <id>#aug<copyIndex>}, its
 * group, labels, split, fold and payload hash, and the {@code Applied} record of what was drawn.
 * Validation and test samples never get copies. A derived input (an oversampled duplicate from
 * {@link Balance}) is rendered like an original, with its own id, kind and copy index. Annotation
 * targets (boxes, keypoints, a mask) move with each row's pixels ({@link TargetWarp}, boxes below
 * {@link #withMinVisibility} dropped, keypoints of {@link #withKeypointFlipPairs} trading left and
 * right on mirrored rows). Bad bytes go to {@link #REJECTED} (stage {@code fuse}) and nothing of
 * that sample to {@link #OK}. Deterministic: the output bytes depend only on the inputs, the specs
 * and the seed.
 *
 * <p>Input pixels may be encoded (jpeg, png, ...) or already decoded ({@link ImagePayload#RAW},
 * e.g. video frames): raw pixels render byte-identically to a lossless PNG of them, without the
 * round trip. A clip ({@link VideoPayload} of T frames) is rendered with ONE draw per (clip id,
 * copy index), the draw an image sample of that id and frame size gets, applied identically (warp
 * and every pixel-op parameter) to all T frames; its rows are clips with the same video id and pts
 * and that one {@code Applied} record ({@link ImageFusion#renderClip}). A bad frame rejects the
 * whole clip, naming the frame's index and pts.
 *
 * <pre>{@code
 * PCollectionTuple fused =
 *     samples.apply("FuseImages", FuseImages.of(pre, aug, seed, 50_000_000L).withCopyOffset(0));
 * PCollection<Sample> rows = fused.get(FuseImages.OK);
 * }</pre>
 */
public final class FuseImages extends PTransform<PCollection<Sample>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  /** Rendered rows: originals and augmented copies, raw RGB payloads. */
  public static final TupleTag<Sample> OK = new TupleTag<Sample>() {};

  /** Samples whose bytes could not be rendered. */
  public static final TupleTag<Rejected> REJECTED = new TupleTag<Rejected>() {};

  /** The stage name in rejected rows. */
  public static final String STAGE = "fuse";

  /** The derived kind of an augmented copy. */
  public static final String AUGMENTED = "augmented";

  private final Settings settings;

  private FuseImages(Settings settings) {
    this.settings = settings;
  }

  /**
   * Renders with {@code pre} on every split and {@code aug} on train copies ({@code aug} may be
   * null: copies are then preprocessed only); images over {@code maxPixels} are rejected as {@code
   * too_large} before decoding.
   */
  public static FuseImages of(PreprocessSpec pre, AugmentSpec aug, long seed, long maxPixels) {
    Objects.requireNonNull(pre, "pre");
    if (maxPixels <= 0) {
      throw new IllegalArgumentException("maxPixels must be > 0, but was " + maxPixels);
    }
    return new FuseImages(new Settings(pre, aug, seed, maxPixels));
  }

  /** Whether train originals are written next to their copies; default true. */
  public FuseImages withIncludeOriginal(boolean include) {
    return with(s -> s.includeOriginal = include);
  }

  /**
   * Pixel ops (brightness, blur, noise, ...) run on every augmented copy after the warp, in this
   * order, each at its position from {@link ImageFusion#FIRST_PIXEL_POSITION}; default none.
   */
  public FuseImages withPixelOps(List<PixelOp> ops) {
    List<PixelOp> copy = List.copyOf(ops);
    return with(s -> s.pixelOps = copy);
  }

  /** The first copy index (so a later run can add copies without repeating draws); default 0. */
  public FuseImages withCopyOffset(int offset) {
    if (offset < 0) {
      throw new IllegalArgumentException("withCopyOffset: offset must be >= 0, but was " + offset);
    }
    return with(s -> s.copyOffset = offset);
  }

  /**
   * Drops a box whose visible area after the transform falls below {@code v} of its transformed
   * area ({@link TargetWarp}); {@code [0, 1]}, default 0.3.
   */
  public FuseImages withMinVisibility(double v) {
    if (!(v >= 0 && v <= 1)) {
      throw new IllegalArgumentException("withMinVisibility: v must be in [0, 1], but was " + v);
    }
    return with(s -> s.minVisibility = v);
  }

  /**
   * Where the warp and the pixel ops run ({@code compute.device}, resolved by {@link
   * ImageBackend#resolve}); default {@code CPU}. The output bytes agree across backends within the
   * per-op tolerances of docs/augmentations.md.
   */
  public FuseImages withBackend(ImageBackend.Kind kind) {
    Objects.requireNonNull(kind, "backend");
    return with(s -> s.backend = kind);
  }

  /**
   * Keypoint names that trade left and right on a row whose map mirrors (a flip, a transpose): each
   * pair two distinct names, a name in at most one pair ({@link TargetWarp#swapMirrored}); default
   * none (keypoints keep their names under a flip).
   *
   * <pre>{@code
   * fuse.withKeypointFlipPairs(List.of(List.of("left_eye", "right_eye")));
   * }</pre>
   */
  public FuseImages withKeypointFlipPairs(List<List<String>> pairs) {
    Map<String, String> partners = TargetWarp.flipPartners(pairs);
    return with(s -> s.flipPartners = partners);
  }

  /** A copy of this transform with one setting changed by {@code change}; this one is untouched. */
  private FuseImages with(Consumer<Settings> change) {
    Settings copy = settings.copy();
    change.accept(copy);
    return new FuseImages(copy);
  }

  @Override
  public PCollectionTuple expand(PCollection<Sample> in) {
    PCollectionTuple out =
        in.apply(
            "Render",
            ParDo.of(new RenderFn(settings)).withOutputTags(OK, TupleTagList.of(REJECTED)));
    out.get(OK).setCoder(SampleCoder.of());
    out.get(REJECTED).setCoder(RejectedCoder.of());
    return out;
  }

  private static final class RenderFn extends DoFn<Sample, Sample> {
    private static final long serialVersionUID = 1L;

    private final Settings settings;

    /** This instance's scratch buffers, reused from image to image (made in setup). */
    private transient ImageBackend backend;

    private final Counter originals = Metrics.counter(FuseImages.class, "originals");
    private final Counter augmented = Metrics.counter(FuseImages.class, "augmented");
    private final Counter omitted = Metrics.counter(FuseImages.class, "originals_omitted");
    private final Counter rejected = Metrics.counter(FuseImages.class, "rejected");

    RenderFn(Settings settings) {
      this.settings = settings;
    }

    @Setup
    public void setup() {
      backend = ImageBackend.open(settings.backend);
    }

    @StartBundle
    public void startBundle(StartBundleContext c) {
      // Beam runs one DoFn per worker thread: OpenCV's (process-wide) pool gets the cores left
      // per worker, so workers x OpenCV threads <= cores
      OpenCvThreads.set(
          OpenCvThreads.forWorkers(
              Runtime.getRuntime().availableProcessors(),
              OpenCvThreads.workers(c.getPipelineOptions())));
    }

    @Teardown
    public void teardown() {
      if (backend != null) {
        backend.close();
        backend = null;
      }
    }

    @ProcessElement
    public void process(@Element Sample sample, MultiOutputReceiver out) {
      List<Sample> rows = new ArrayList<>();
      boolean train = sample.split() == Split.TRAIN;
      // a derived input (an oversampled duplicate) is rendered as its source's original is
      List<Integer> copyIndices = new ArrayList<>();
      if (!train || settings.includeOriginal || sample.isDerived()) {
        copyIndices.add(Sample.ORIGINAL);
      }
      for (int i = 0; train && i < sample.copyCount(); i++) {
        copyIndices.add(settings.copyOffset + i);
      }
      try {
        if (sample.payload() instanceof VideoPayload clip) {
          // one draw per (clip id, copy index) on the frames' size, applied to every frame
          ImageHeader h = ImageFusion.clipHeader(clip, settings.maxPixels);
          List<Applied> draws = new ArrayList<>();
          for (int copyIndex : copyIndices) {
            draws.add(draw(h, sample.id(), copyIndex));
          }
          List<ImageFusion.RenderedClip> clips =
              draws.isEmpty()
                  ? List.of()
                  : ImageFusion.renderClip(
                      clip, h, settings.pre, draws, settings.pixelOps, backend);
          for (int i = 0; i < clips.size(); i++) {
            List<ImagePayload> frames = new ArrayList<>();
            for (Rendered r : clips.get(i).frames()) {
              frames.add(ImagePayload.raw(r.rgb(), r.width(), r.height(), r.channels()));
            }
            rows.add(
                row(
                    sample,
                    copyIndices.get(i),
                    clips.get(i).applied(),
                    new VideoPayload(clip.videoId(), clip.ptsMicros(), frames)));
          }
        } else {
          ImagePayload in = sample.image();
          byte[] bytes = in.bytes();
          // raw pixels (video frames) render as their lossless PNG would, without encoding
          ImageHeader h = ImageHeaders.of(in, settings.maxPixels);
          // draw every row, decode once, render everything before emitting anything, so a
          // failure leaves no partial sample
          List<Applied> draws = new ArrayList<>();
          for (int copyIndex : copyIndices) {
            draws.add(draw(h, sample.id(), copyIndex));
          }
          List<Rendered> rendered =
              draws.isEmpty()
                  ? List.of()
                  : ImageFusion.renderAll(
                      bytes, h, settings.pre, draws, settings.pixelOps, backend);
          Targets targets = in.targets();
          byte[] mask =
              targets.maskFile() == null
                  ? null
                  : LabelMasks.decode(targets.maskFile(), h.displayWidth(), h.displayHeight());
          for (int i = 0; i < rendered.size(); i++) {
            Rendered r = rendered.get(i);
            ImagePayload image = ImagePayload.raw(r.rgb(), r.width(), r.height(), r.channels());
            if (!targets.isEmpty()) {
              image =
                  image.withTargets(
                      TargetWarp.apply(
                          targets,
                          mask,
                          h.displayWidth(),
                          h.displayHeight(),
                          ImageFusion.geometry(h, settings.pre, r.applied()),
                          r.width(),
                          r.height(),
                          settings.minVisibility,
                          settings.flipPartners));
            }
            rows.add(row(sample, copyIndices.get(i), r.applied(), image));
          }
        }
      } catch (BadImageException e) {
        if (sample.isDerived()) {
          // its source has the same bytes and is rejected (and counted) once, as a sample
          return;
        }
        rejected.inc();
        out.get(REJECTED).output(Rejected.sample(sample, STAGE, e.reason(), e.getMessage()));
        return;
      } catch (BadAnnotationException e) {
        rejected.inc();
        out.get(REJECTED)
            .output(Rejected.sample(sample, STAGE, BadAnnotationException.REASON, e.getMessage()));
        return;
      }
      for (Sample row : rows) {
        if (row.isDerived()) {
          augmented.inc();
        } else {
          originals.inc();
        }
        out.get(OK).output(row);
      }
      if (train && !settings.includeOriginal) {
        omitted.inc();
      }
    }

    /** The record of one row: the original's (preprocess only) or copy {@code copyIndex}'s. */
    private Applied draw(ImageHeader h, String id, int copyIndex) {
      return copyIndex == Sample.ORIGINAL
          ? ImageFusion.draw(h, settings.pre, settings.aug, settings.seed, id, Sample.ORIGINAL)
          : ImageFusion.draw(
              h, settings.pre, settings.aug, settings.pixelOps, settings.seed, id, copyIndex);
    }

    /** The output row: the sample itself, or its copy {@code copyIndex}, with these pixels. */
    private static Sample row(Sample sample, int copyIndex, Applied applied, Payload payload) {
      Sample.Builder row = sample.toBuilder().applied(applied).payload(payload);
      if (copyIndex != Sample.ORIGINAL) {
        row.id(sample.id() + "#aug" + copyIndex)
            .sourceIds(List.of(sample.id()))
            .copyCount(0)
            .derived(AUGMENTED, copyIndex);
      }
      return row.build();
    }
  }

  /**
   * Everything one {@code FuseImages} renders with, taken whole by its DoFn. Set by {@link #of};
   * each wither changes one field of a fresh copy ({@link FuseImages#with}), so a settings object
   * is never changed once a transform holds it. Every value is immutable (specs, ops, copied
   * collections), so the shallow copy shares nothing that could change.
   */
  private static final class Settings implements Serializable, Cloneable {
    private static final long serialVersionUID = 1L;

    final PreprocessSpec pre;
    final AugmentSpec aug;
    final long seed;
    final long maxPixels;
    List<PixelOp> pixelOps = List.of();
    boolean includeOriginal = true;
    int copyOffset = 0;
    double minVisibility = TargetWarp.DEFAULT_MIN_VISIBILITY;
    ImageBackend.Kind backend = ImageBackend.Kind.CPU;
    Map<String, String> flipPartners = Map.of();

    Settings(PreprocessSpec pre, AugmentSpec aug, long seed, long maxPixels) {
      this.pre = pre;
      this.aug = aug;
      this.seed = seed;
      this.maxPixels = maxPixels;
    }

    Settings copy() {
      try {
        return (Settings) clone();
      } catch (CloneNotSupportedException e) {
        throw new AssertionError("Settings is Cloneable", e);
      }
    }
  }
}
