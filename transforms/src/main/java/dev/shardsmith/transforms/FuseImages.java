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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

  private final PreprocessSpec pre;
  private final AugmentSpec aug;
  private final List<PixelOp> pixelOps;
  private final long seed;
  private final long maxPixels;
  private final boolean includeOriginal;
  private final int copyOffset;
  private final double minVisibility;
  private final ImageBackend.Kind backend;
  private final Map<String, String> flipPartners;

  private FuseImages(
      PreprocessSpec pre,
      AugmentSpec aug,
      List<PixelOp> pixelOps,
      long seed,
      long maxPixels,
      boolean includeOriginal,
      int copyOffset,
      double minVisibility,
      ImageBackend.Kind backend,
      Map<String, String> flipPartners) {
    this.pre = pre;
    this.aug = aug;
    this.pixelOps = List.copyOf(pixelOps);
    this.seed = seed;
    this.maxPixels = maxPixels;
    this.includeOriginal = includeOriginal;
    this.copyOffset = copyOffset;
    this.minVisibility = minVisibility;
    this.backend = Objects.requireNonNull(backend, "backend");
    this.flipPartners = Map.copyOf(flipPartners);
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
    return new FuseImages(
        pre,
        aug,
        List.of(),
        seed,
        maxPixels,
        true,
        0,
        TargetWarp.DEFAULT_MIN_VISIBILITY,
        ImageBackend.Kind.CPU,
        Map.of());
  }

  /** Whether train originals are written next to their copies; default true. */
  public FuseImages withIncludeOriginal(boolean include) {
    return new FuseImages(
        pre,
        aug,
        pixelOps,
        seed,
        maxPixels,
        include,
        copyOffset,
        minVisibility,
        backend,
        flipPartners);
  }

  /**
   * Pixel ops (brightness, blur, noise, ...) run on every augmented copy after the warp, in this
   * order, each at its position from {@link ImageFusion#FIRST_PIXEL_POSITION}; default none.
   */
  public FuseImages withPixelOps(List<PixelOp> ops) {
    return new FuseImages(
        pre,
        aug,
        ops,
        seed,
        maxPixels,
        includeOriginal,
        copyOffset,
        minVisibility,
        backend,
        flipPartners);
  }

  /** The first copy index (so a later run can add copies without repeating draws); default 0. */
  public FuseImages withCopyOffset(int offset) {
    if (offset < 0) {
      throw new IllegalArgumentException("withCopyOffset: offset must be >= 0, but was " + offset);
    }
    return new FuseImages(
        pre,
        aug,
        pixelOps,
        seed,
        maxPixels,
        includeOriginal,
        offset,
        minVisibility,
        backend,
        flipPartners);
  }

  /**
   * Drops a box whose visible area after the transform falls below {@code v} of its transformed
   * area ({@link TargetWarp}); {@code [0, 1]}, default 0.3.
   */
  public FuseImages withMinVisibility(double v) {
    if (!(v >= 0 && v <= 1)) {
      throw new IllegalArgumentException("withMinVisibility: v must be in [0, 1], but was " + v);
    }
    return new FuseImages(
        pre, aug, pixelOps, seed, maxPixels, includeOriginal, copyOffset, v, backend, flipPartners);
  }

  /**
   * Where the warp and the pixel ops run ({@code compute.device}, resolved by {@link
   * ImageBackend#resolve}); default {@code CPU}. The output bytes agree across backends within the
   * per-op tolerances of docs/augmentations.md.
   */
  public FuseImages withBackend(ImageBackend.Kind kind) {
    return new FuseImages(
        pre,
        aug,
        pixelOps,
        seed,
        maxPixels,
        includeOriginal,
        copyOffset,
        minVisibility,
        kind,
        flipPartners);
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
    return new FuseImages(
        pre,
        aug,
        pixelOps,
        seed,
        maxPixels,
        includeOriginal,
        copyOffset,
        minVisibility,
        backend,
        TargetWarp.flipPartners(pairs));
  }

  @Override
  public PCollectionTuple expand(PCollection<Sample> in) {
    PCollectionTuple out =
        in.apply(
            "Render",
            ParDo.of(
                    new RenderFn(
                        pre,
                        aug,
                        pixelOps,
                        seed,
                        maxPixels,
                        includeOriginal,
                        copyOffset,
                        minVisibility,
                        backend,
                        flipPartners))
                .withOutputTags(OK, TupleTagList.of(REJECTED)));
    out.get(OK).setCoder(SampleCoder.of());
    out.get(REJECTED).setCoder(RejectedCoder.of());
    return out;
  }

  private static final class RenderFn extends DoFn<Sample, Sample> {
    private static final long serialVersionUID = 1L;

    private final PreprocessSpec pre;
    private final AugmentSpec aug;
    private final List<PixelOp> pixelOps;
    private final long seed;
    private final long maxPixels;
    private final boolean includeOriginal;
    private final int copyOffset;
    private final double minVisibility;
    private final ImageBackend.Kind backendKind;
    private final Map<String, String> flipPartners;

    /** This instance's scratch buffers, reused from image to image (made in setup). */
    private transient ImageBackend backend;

    private final Counter originals = Metrics.counter(FuseImages.class, "originals");
    private final Counter augmented = Metrics.counter(FuseImages.class, "augmented");
    private final Counter omitted = Metrics.counter(FuseImages.class, "originals_omitted");
    private final Counter rejected = Metrics.counter(FuseImages.class, "rejected");

    RenderFn(
        PreprocessSpec pre,
        AugmentSpec aug,
        List<PixelOp> pixelOps,
        long seed,
        long maxPixels,
        boolean includeOriginal,
        int copyOffset,
        double minVisibility,
        ImageBackend.Kind backendKind,
        Map<String, String> flipPartners) {
      this.pre = pre;
      this.aug = aug;
      this.pixelOps = pixelOps;
      this.seed = seed;
      this.maxPixels = maxPixels;
      this.includeOriginal = includeOriginal;
      this.copyOffset = copyOffset;
      this.minVisibility = minVisibility;
      this.backendKind = backendKind;
      this.flipPartners = flipPartners;
    }

    @Setup
    public void setup() {
      backend = ImageBackend.open(backendKind);
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
      if (!train || includeOriginal || sample.isDerived()) {
        copyIndices.add(Sample.ORIGINAL);
      }
      for (int i = 0; train && i < sample.copyCount(); i++) {
        copyIndices.add(copyOffset + i);
      }
      try {
        if (sample.payload() instanceof VideoPayload clip) {
          // one draw per (clip id, copy index) on the frames' size, applied to every frame
          ImageHeader h = ImageFusion.clipHeader(clip, maxPixels);
          List<Applied> draws = new ArrayList<>();
          for (int copyIndex : copyIndices) {
            draws.add(draw(h, sample.id(), copyIndex));
          }
          List<ImageFusion.RenderedClip> clips =
              draws.isEmpty()
                  ? List.of()
                  : ImageFusion.renderClip(clip, h, pre, draws, pixelOps, backend);
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
          ImageHeader h = ImageHeaders.of(in, maxPixels);
          // draw every row, decode once, render everything before emitting anything, so a
          // failure leaves no partial sample
          List<Applied> draws = new ArrayList<>();
          for (int copyIndex : copyIndices) {
            draws.add(draw(h, sample.id(), copyIndex));
          }
          List<Rendered> rendered =
              draws.isEmpty()
                  ? List.of()
                  : ImageFusion.renderAll(bytes, h, pre, draws, pixelOps, backend);
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
                          ImageFusion.geometry(h, pre, r.applied()),
                          r.width(),
                          r.height(),
                          minVisibility,
                          flipPartners));
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
      if (train && !includeOriginal) {
        omitted.inc();
      }
    }

    /** The record of one row: the original's (preprocess only) or copy {@code copyIndex}'s. */
    private Applied draw(ImageHeader h, String id, int copyIndex) {
      return copyIndex == Sample.ORIGINAL
          ? ImageFusion.draw(h, pre, aug, seed, id, Sample.ORIGINAL)
          : ImageFusion.draw(h, pre, aug, pixelOps, seed, id, copyIndex);
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
}
