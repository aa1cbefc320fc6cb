package dev.shardsmith.transforms;

import dev.shardsmith.schemas.CountKey;
import dev.shardsmith.schemas.ImagePayload;
import dev.shardsmith.schemas.Rejected;
import dev.shardsmith.schemas.RejectedCoder;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import dev.shardsmith.schemas.Targets;
import dev.shardsmith.transforms.kernels.annotation.AnnotationFiles;
import dev.shardsmith.transforms.kernels.annotation.BadAnnotationException;
import dev.shardsmith.transforms.kernels.annotation.ImageAnnotation;
import dev.shardsmith.transforms.kernels.annotation.LabelMasks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Attaches annotation targets to image samples: boxes and keypoints from annotation files (Pascal
 * VOC XML, COCO JSON, labelme JSON: {@link AnnotationFiles}) and a paired mask file, each paired
 * with its image by <b>file stem</b> (the name without folders and extension: {@code
 * JPEGImages/2011_000003.jpg}, {@code Annotations/2011_000003.xml} and {@code
 * masks/2011_000003.png} pair up).
 *
 * <p>Nothing passes silently. A sample is rejected (stage {@value #STAGE}, reason {@code
 * annotation}, counted under {@code samples.rejected.annotation}) when its annotation is malformed,
 * names a class outside the class list, has a box of negative or zero size or wholly outside the
 * image, declares another image size, is missing, is given twice, or when two input images share
 * its stem; or when its mask file is missing, not an 8-bit gray or palette PNG, or of another size;
 * or, with {@link #withSegmentationMasks}, when its COCO image declares no size or a segmentation
 * is malformed, compressed RLE, or of class id 0 or above 255. Boxes partly outside the image are
 * clipped to it. An annotation (or a whole annotation file) that names no input image, or cannot be
 * read at all, is a rejected source ({@code sources.rejected.annotation}). Deterministic; the
 * annotations of one COCO file are parsed by one worker (memory: that file's boxes, and with
 * segmentation masks one PNG mask per image).
 *
 * <pre>{@code
 * PCollectionTuple t =
 *     samples.apply("AttachTargets",
 *         AttachTargets.annotations("voc", annotationsDir, classes).withMasks(maskDir));
 * PCollection<Sample> annotated = t.get(AttachTargets.OK);
 * }</pre>
 */
public final class AttachTargets extends PTransform<PCollection<Sample>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  public static final TupleTag<Sample> OK = new TupleTag<>() {};
  public static final TupleTag<Rejected> REJECTED = new TupleTag<>() {};
  public static final TupleTag<KV<String, Long>> COUNTS = new TupleTag<>() {};

  /** The stage name in rejected rows. */
  public static final String STAGE = "annotate";

  private static final TupleTag<Sample> SAMPLES = new TupleTag<>() {};
  private static final TupleTag<ImageAnnotation> ANNOTATIONS = new TupleTag<>() {};

  /** Key prefix of annotations that name no image (never equal to a stem). */
  private static final String NO_STEM = "\u0000";

  private final String format;
  private final String path;
  private final List<String> classes;
  private final String masks;
  private final boolean segmentationMasks;

  private AttachTargets(
      String format, String path, List<String> classes, String masks, boolean segmentationMasks) {
    this.format = format;
    this.path = path;
    this.classes = classes == null ? List.of() : List.copyOf(classes);
    this.masks = masks;
    this.segmentationMasks = segmentationMasks;
  }

  /**
   * Boxes and keypoints from annotation files of {@code format} ({@code voc}, {@code coco} or
   * {@code labelme}): a folder of {@code .xml} / {@code .json} files, or one COCO {@code .json};
   * box classes must be in {@code classes} (their index is the class id).
   */
  public static AttachTargets annotations(String format, Path path, List<String> classes) {
    if (!AnnotationFiles.FORMATS.contains(format)) {
      throw new IllegalArgumentException(
          "format must be one of " + AnnotationFiles.FORMATS + ", was " + format);
    }
    if (classes.isEmpty()) {
      throw new IllegalArgumentException("classes must list at least one box class");
    }
    return new AttachTargets(format, path.toAbsolutePath().toString(), classes, null, false);
  }

  /** Only masks: {@code folder/<stem>.png} for every sample. */
  public static AttachTargets masks(Path folder) {
    return new AttachTargets(null, null, null, folder.toAbsolutePath().toString(), false);
  }

  /** Also a mask per sample, {@code folder/<stem>.png}. */
  public AttachTargets withMasks(Path folder) {
    if (segmentationMasks) {
      throw new IllegalArgumentException(
          "withMasks: masks are already drawn from COCO segmentation (withSegmentationMasks)");
    }
    return new AttachTargets(format, path, classes, folder.toAbsolutePath().toString(), false);
  }

  /**
   * Whether each image's mask is drawn from its COCO {@code segmentation} (polygons, uncompressed
   * RLE; class id per annotation, the later annotation winning where they overlap: {@link
   * dev.shardsmith.transforms.kernels.annotation.SegmentationMasks}); {@code coco} only, not with
   * {@link #withMasks}; default false. A malformed segmentation rejects its image's sample.
   *
   * <pre>{@code
   * AttachTargets.annotations("coco", cocoJson, classes).withSegmentationMasks(true);
   * }</pre>
   */
  public AttachTargets withSegmentationMasks(boolean draw) {
    if (draw && !"coco".equals(format)) {
      throw new IllegalArgumentException(
          "withSegmentationMasks: needs format coco, but format is " + format);
    }
    if (draw && masks != null) {
      throw new IllegalArgumentException(
          "withSegmentationMasks: mask files are already read from " + masks);
    }
    return new AttachTargets(format, path, classes, masks, draw);
  }

  @Override
  public PCollectionTuple expand(PCollection<Sample> samples) {
    PCollectionTuple out;
    if (format == null) {
      out =
          samples.apply(
              "AttachMasks",
              ParDo.of(new MaskOnlyFn(masks))
                  .withOutputTags(OK, TupleTagList.of(REJECTED).and(COUNTS)));
    } else {
      PCollection<KV<String, Sample>> byStem =
          samples
              .apply("KeyByStem", ParDo.of(new StemFn()))
              .setCoder(KvCoder.of(StringUtf8Coder.of(), SampleCoder.of()));
      PCollection<KV<String, ImageAnnotation>> annotations =
          samples
              .getPipeline()
              .apply("AnnotationPath", Create.of(path))
              .apply("ListAnnotationFiles", ParDo.of(new ListFn(format)))
              .setCoder(StringUtf8Coder.of())
              .apply("SpreadParses", Reshuffle.viaRandomKey())
              .apply(
                  "ParseAnnotations",
                  ParDo.of(new ParseFn(format, path, classes, segmentationMasks)))
              .setCoder(KvCoder.of(StringUtf8Coder.of(), ImageAnnotationCoder.of()));
      out =
          KeyedPCollectionTuple.of(SAMPLES, byStem)
              .and(ANNOTATIONS, annotations)
              .apply("JoinByStem", CoGroupByKey.create())
              .apply(
                  "Attach",
                  ParDo.of(new JoinFn(masks, path))
                      .withOutputTags(OK, TupleTagList.of(REJECTED).and(COUNTS)));
    }
    out.get(OK).setCoder(SampleCoder.of());
    out.get(REJECTED).setCoder(RejectedCoder.of());
    out.get(COUNTS).setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
    return out;
  }

  /** The stem of a sample: its id's file name without extension. */
  static String stem(Sample s) {
    return AnnotationFiles.stem(s.id());
  }

  private static final class StemFn extends DoFn<Sample, KV<String, Sample>> {
    @ProcessElement
    public void process(@Element Sample s, OutputReceiver<KV<String, Sample>> out) {
      out.output(KV.of(stem(s), s));
    }
  }

  /** The annotation files: the COCO file itself, or each {@code .xml}/{@code .json} in a folder. */
  private static final class ListFn extends DoFn<String, String> {
    private final String format;

    ListFn(String format) {
      this.format = format;
    }

    @ProcessElement
    public void process(@Element String path, OutputReceiver<String> out) throws IOException {
      String ext = AnnotationFiles.extension(format);
      if (ext == null) {
        out.output(path);
        return;
      }
      try (Stream<Path> files = Files.list(Path.of(path))) {
        for (Path f : (Iterable<Path>) files.sorted()::iterator) {
          String name = f.getFileName().toString();
          if (name.endsWith(ext) && !name.startsWith(".") && Files.isRegularFile(f)) {
            out.output(f.toString());
          }
        }
      }
    }
  }

  private static final class ParseFn extends DoFn<String, KV<String, ImageAnnotation>> {
    private final String format;
    private final String root;
    private final List<String> classes;
    private final boolean segmentationMasks;

    ParseFn(String format, String root, List<String> classes, boolean segmentationMasks) {
      this.format = format;
      this.root = root;
      this.classes = classes;
      this.segmentationMasks = segmentationMasks;
    }

    @ProcessElement
    public void process(@Element String file, OutputReceiver<KV<String, ImageAnnotation>> out) {
      Path p = Path.of(file);
      Path base = Path.of(root);
      String source = p.equals(base) ? p.getFileName().toString() : base.relativize(p).toString();
      List<ImageAnnotation> parsed;
      try {
        parsed =
            AnnotationFiles.parse(
                format, Files.readAllBytes(p), source, classes, segmentationMasks);
      } catch (IOException e) {
        parsed = List.of(ImageAnnotation.failed(null, source, "cannot be read: " + e));
      }
      for (ImageAnnotation a : parsed) {
        out.output(KV.of(a.stem() == null ? NO_STEM + a.source() : a.stem(), a));
      }
    }
  }

  /** Pairs each stem's samples and annotations; see the class comment for every outcome. */
  private static final class JoinFn extends DoFn<KV<String, CoGbkResult>, Sample> {
    private final String masks;
    private final String annotations;

    JoinFn(String masks, String annotations) {
      this.masks = masks;
      this.annotations = annotations;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> e, MultiOutputReceiver out) {
      String stem = e.getKey();
      List<Sample> samples = new ArrayList<>();
      e.getValue().getAll(SAMPLES).forEach(samples::add);
      List<ImageAnnotation> found = new ArrayList<>();
      e.getValue().getAll(ANNOTATIONS).forEach(found::add);
      found.sort(java.util.Comparator.comparing(ImageAnnotation::source));
      if (samples.isEmpty()) {
        for (ImageAnnotation a : found) {
          String detail =
              a.error() != null
                  ? a.error()
                  : "names image stem \"" + stem + "\", which is not among the input images";
          reject(out, Rejected.source(a.source(), STAGE, BadAnnotationException.REASON, detail));
          out.get(COUNTS).output(KV.of(CountKey.SOURCES_READ, 1L));
        }
        return;
      }
      for (Sample s : samples) {
        String problem = null;
        if (samples.size() > 1) {
          problem =
              samples.size()
                  + " input images share the stem \""
                  + stem
                  + "\"; annotations pair with images by stem";
        } else if (found.isEmpty()) {
          problem = "no annotation names image stem \"" + stem + "\" in " + annotations;
        } else if (found.size() > 1) {
          List<String> sources = found.stream().map(ImageAnnotation::source).toList();
          problem = found.size() + " annotations name image stem \"" + stem + "\": " + sources;
        }
        if (problem != null) {
          reject(out, Rejected.sample(s, STAGE, BadAnnotationException.REASON, problem));
          continue;
        }
        ImagePayload img = s.image();
        int w = img.orientation() >= 5 ? img.height() : img.width();
        int h = img.orientation() >= 5 ? img.width() : img.height();
        try {
          Targets t = found.get(0).fit(w, h);
          if (masks != null) {
            t = t.withMaskFile(readMask(masks, stem, w, h));
          }
          out.get(OK).output(s.toBuilder().payload(img.withTargets(t)).build());
        } catch (BadAnnotationException x) {
          reject(out, Rejected.sample(s, STAGE, BadAnnotationException.REASON, x.getMessage()));
        }
      }
    }
  }

  private static final class MaskOnlyFn extends DoFn<Sample, Sample> {
    private final String masks;

    MaskOnlyFn(String masks) {
      this.masks = masks;
    }

    @ProcessElement
    public void process(@Element Sample s, MultiOutputReceiver out) {
      ImagePayload img = s.image();
      int w = img.orientation() >= 5 ? img.height() : img.width();
      int h = img.orientation() >= 5 ? img.width() : img.height();
      try {
        byte[] file = readMask(masks, stem(s), w, h);
        out.get(OK)
            .output(
                s.toBuilder().payload(img.withTargets(img.targets().withMaskFile(file))).build());
      } catch (BadAnnotationException x) {
        reject(out, Rejected.sample(s, STAGE, BadAnnotationException.REASON, x.getMessage()));
      }
    }
  }

  /** The mask file {@code folder/<stem>.png}, checked to decode to {@code w x h} class ids. */
  static byte[] readMask(String folder, String stem, int w, int h) throws BadAnnotationException {
    Path file = Path.of(folder, stem + ".png");
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new BadAnnotationException("no mask file " + file);
    } catch (IOException e) {
      throw new BadAnnotationException("mask " + file + " cannot be read: " + e);
    }
    try {
      LabelMasks.decode(bytes, w, h);
    } catch (BadAnnotationException e) {
      throw new BadAnnotationException(file + ": " + e.getMessage());
    }
    return bytes;
  }

  private static void reject(DoFn.MultiOutputReceiver out, Rejected r) {
    out.get(REJECTED).output(r);
    out.get(COUNTS).output(KV.of(CountKey.rejected(r), 1L));
  }
}
