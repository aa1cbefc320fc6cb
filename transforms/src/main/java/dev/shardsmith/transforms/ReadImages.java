package dev.shardsmith.transforms;

import dev.shardsmith.schemas.CountKey;
import dev.shardsmith.schemas.ImagePayload;
import dev.shardsmith.schemas.Rejected;
import dev.shardsmith.schemas.RejectedCoder;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import dev.shardsmith.transforms.kernels.image.BadImageException;
import dev.shardsmith.transforms.kernels.image.ImageDecoding;
import dev.shardsmith.transforms.kernels.image.ImageHeader;
import dev.shardsmith.transforms.kernels.image.ImageHeaders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Reads image sources into samples: a class-per-folder tree ({@code root/<label>/.../file}) or a
 * CSV/JSONL manifest of {@code path, label[, group][, id]} (paths relative to the manifest's
 * folder). Each file is one source and, when good, one sample whose id is its path relative to the
 * root (or the declared id), carrying the encoded bytes, the header's size and EXIF orientation and
 * the sha256 of the bytes.
 *
 * <p>Every file is validated by its header and a reduced-scale decode. Empty, truncated, corrupt,
 * non-image and over-limit files, files without a label and labels outside a declared label list
 * are rejected with a reason ({@link #REJECTED}); images under the minimum size are filtered. Every
 * outcome is counted ({@link #COUNTS}, keys of {@link CountKey}); nothing is dropped silently.
 * Hidden files and folders (names starting with '.') are not sources.
 *
 * <pre>{@code
 * PCollectionTuple read = p.apply("ReadImages", ReadImages.fromFolders(root).withMinSize(8, 8));
 * PCollection<Sample> samples = read.get(ReadImages.OK);
 * }</pre>
 */
public final class ReadImages extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<Sample> OK = new TupleTag<>() {};
  public static final TupleTag<Rejected> REJECTED = new TupleTag<>() {};
  public static final TupleTag<KV<String, Long>> COUNTS = new TupleTag<>() {};
  private static final TupleTag<List<String>> REFS = new TupleTag<>() {};

  private final String root;
  private final String manifest;
  private final DeclaredLabels labels;
  private final int minWidth;
  private final int minHeight;
  private final long maxPixels;

  private ReadImages(
      String root,
      String manifest,
      DeclaredLabels labels,
      int minWidth,
      int minHeight,
      long maxPixels) {
    this.root = root;
    this.manifest = manifest;
    this.labels = labels;
    this.minWidth = minWidth;
    this.minHeight = minHeight;
    this.maxPixels = maxPixels;
  }

  /** Images under {@code root}, labelled by their first folder. */
  public static ReadImages fromFolders(Path root) {
    return new ReadImages(
        root.toAbsolutePath().toString(), null, DeclaredLabels.ANY, 1, 1, 100_000_000L);
  }

  /** Images listed in a {@code .csv} (with a header row) or {@code .jsonl} manifest. */
  public static ReadImages fromManifest(Path manifest) {
    return new ReadImages(
        null, manifest.toAbsolutePath().toString(), DeclaredLabels.ANY, 1, 1, 100_000_000L);
  }

  /**
   * Only these labels are allowed; another label rejects its source (reason {@code unknown_label})
   * or, with {@code fail}, fails the run.
   */
  public ReadImages withDeclaredLabels(List<String> labels, boolean fail) {
    return new ReadImages(
        root, manifest, new DeclaredLabels(labels, fail), minWidth, minHeight, maxPixels);
  }

  /** Filters (reason {@code min_size}) images narrower or lower than this, after EXIF rotation. */
  public ReadImages withMinSize(int width, int height) {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("withMinSize: sizes must be >= 1");
    }
    return new ReadImages(root, manifest, labels, width, height, maxPixels);
  }

  /** Rejects (reason {@code too_large}) images whose header claims more pixels than this. */
  public ReadImages withMaxPixels(long pixels) {
    if (pixels < 1) {
      throw new IllegalArgumentException("withMaxPixels: must be >= 1");
    }
    return new ReadImages(root, manifest, labels, minWidth, minHeight, pixels);
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    PCollection<List<String>> refs;
    PCollectionTuple listed;
    if (root != null) {
      listed =
          begin
              .apply(
                  "MatchFiles",
                  FileIO.match()
                      .filepattern(root + "/**")
                      .withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
              .apply(
                  "ToSourceRefs",
                  ParDo.of(new FolderRefFn(root)).withOutputTags(REFS, TupleTagList.of(REJECTED)));
    } else {
      listed =
          begin
              .apply("ManifestPath", Create.of(manifest))
              .apply(
                  "ParseManifest",
                  ParDo.of(new ManifestRefFn()).withOutputTags(REFS, TupleTagList.of(REJECTED)));
    }
    refs = listed.get(REFS).setCoder(ListCoder.of(StringUtf8Coder.of()));
    PCollectionTuple read =
        refs.apply("SpreadReads", Reshuffle.viaRandomKey())
            .apply(
                "ReadAndValidate",
                ParDo.of(new ReadFn(labels, minWidth, minHeight, maxPixels))
                    .withOutputTags(OK, TupleTagList.of(REJECTED).and(COUNTS)));
    read.get(OK).setCoder(SampleCoder.of());
    read.get(COUNTS).setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
    PCollection<Rejected> listingRejected = listed.get(REJECTED).setCoder(RejectedCoder.of());
    PCollection<Rejected> rejected =
        PCollectionList.of(read.get(REJECTED).setCoder(RejectedCoder.of()))
            .and(listingRejected)
            .apply("AllRejected", Flatten.pCollections());
    // A manifest line that names no usable file is a source that was read and rejected.
    PCollection<KV<String, Long>> listingCounts =
        listingRejected
            .apply(
                "CountListingRejects",
                FlatMapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                    .via(
                        (Rejected r) ->
                            List.of(
                                KV.of(CountKey.SOURCES_READ, 1L), KV.of(CountKey.rejected(r), 1L))))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
    PCollection<KV<String, Long>> counts =
        PCollectionList.of(read.get(COUNTS))
            .and(listingCounts)
            .apply("AllCounts", Flatten.pCollections());
    return PCollectionTuple.of(OK, read.get(OK)).and(REJECTED, rejected).and(COUNTS, counts);
  }

  /** A source reference: id, absolute path, label, group ("" when none). */
  static List<String> ref(String id, String path, String label, String group) {
    List<String> r = new ArrayList<>(4);
    r.add(id);
    r.add(path);
    r.add(label == null ? "" : label);
    r.add(group == null ? "" : group);
    return r;
  }

  /** Turns matched files under the root into source refs labelled by their first folder. */
  static final class FolderRefFn extends DoFn<MatchResult.Metadata, List<String>> {
    private final String root;

    FolderRefFn(String root) {
      this.root = root;
    }

    @ProcessElement
    public void process(@Element MatchResult.Metadata m, MultiOutputReceiver out) {
      Path file = Path.of(m.resourceId().toString());
      Path rel = Path.of(root).relativize(file);
      List<String> parts = new ArrayList<>();
      for (Path p : rel) {
        parts.add(p.toString());
      }
      if (parts.stream().anyMatch(s -> s.startsWith("."))) {
        return; // hidden files and folders are not sources
      }
      String id = String.join("/", parts);
      String label = parts.size() >= 2 ? parts.get(0) : null;
      out.get(REFS).output(ref(id, file.toString(), label, null));
    }
  }

  /** Parses a CSV (header row: path,label[,group][,id]) or JSONL manifest into source refs. */
  static final class ManifestRefFn extends DoFn<String, List<String>> {
    @ProcessElement
    public void process(@Element String manifestPath, MultiOutputReceiver out) throws IOException {
      // Implemented in ManifestLines so the parsing is plain Java and unit-tested.
      Path manifest = Path.of(manifestPath);
      for (ManifestLines.Entry e : ManifestLines.parse(manifest)) {
        if (e.error() != null) {
          out.get(REJECTED).output(Rejected.source(e.id(), "read", "manifest", e.error()));
        } else {
          out.get(REFS)
              .output(
                  ref(
                      e.id(),
                      manifest.getParent().resolve(e.path()).toString(),
                      e.label(),
                      e.group()));
        }
      }
    }
  }

  /** Reads, hashes and validates one source. */
  static final class ReadFn extends DoFn<List<String>, Sample> {
    private final DeclaredLabels labels;
    private final int minWidth;
    private final int minHeight;
    private final long maxPixels;
    private final Counter rejectedFiles = Metrics.counter(ReadImages.class, "rejected_sources");

    ReadFn(DeclaredLabels labels, int minWidth, int minHeight, long maxPixels) {
      this.labels = labels;
      this.minWidth = minWidth;
      this.minHeight = minHeight;
      this.maxPixels = maxPixels;
    }

    @ProcessElement
    public void process(@Element List<String> ref, MultiOutputReceiver out) {
      String id = ref.get(0);
      String label = ref.get(2);
      String group = ref.get(3);
      out.get(COUNTS).output(KV.of(CountKey.SOURCES_READ, 1L));
      Rejected rejected = null;
      if (label.isEmpty()) {
        rejected =
            Rejected.source(
                id, "read", "no_label", "a file directly under the root has no class folder");
      } else if (!labels.allows(label, id)) {
        rejected = Rejected.source(id, "read", "unknown_label", DeclaredLabels.unknown(label));
      }
      byte[] bytes = null;
      if (rejected == null) {
        try {
          bytes = Files.readAllBytes(Path.of(ref.get(1)));
        } catch (NoSuchFileException e) {
          rejected = Rejected.source(id, "read", "missing", "no such file: " + ref.get(1));
        } catch (IOException e) {
          rejected = Rejected.source(id, "read", "io", String.valueOf(e.getMessage()));
        }
      }
      ImageHeader header = null;
      if (rejected == null) {
        try {
          header = ImageHeaders.read(bytes, maxPixels);
          ImageDecoding.validate(bytes, header);
        } catch (BadImageException e) {
          rejected = Rejected.source(id, "validate", e.reason(), e.getMessage());
        }
      }
      if (rejected != null) {
        rejectedFiles.inc();
        out.get(REJECTED).output(rejected);
        out.get(COUNTS).output(KV.of(CountKey.rejected(rejected), 1L));
        return;
      }
      out.get(COUNTS).output(KV.of(CountKey.SOURCES_OK, 1L));
      out.get(COUNTS).output(KV.of(CountKey.SAMPLES_EXTRACTED, 1L));
      boolean swapped = header.orientation() >= 5;
      int w = swapped ? header.height() : header.width();
      int h = swapped ? header.width() : header.height();
      if (w < minWidth || h < minHeight) {
        out.get(COUNTS).output(KV.of(CountKey.samplesFiltered("min_size"), 1L));
        return;
      }
      out.get(OK)
          .output(
              Sample.builder()
                  .id(id)
                  .group(group.isEmpty() ? null : group)
                  .labels(List.of(label))
                  .payloadHash(sha256(bytes))
                  .payload(
                      ImagePayload.encoded(
                          bytes,
                          header.format(),
                          header.width(),
                          header.height(),
                          header.channels(),
                          header.orientation()))
                  .build());
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
