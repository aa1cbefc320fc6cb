package dev.shardsmith.pipelines.config;

import dev.shardsmith.transforms.kernels.image.TargetWarp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Annotation targets of an image run: {@code input.annotations} ({@code format}, {@code path},
 * {@code classes} or {@code classes_file}, {@code keypoint_flip_pairs}, {@code
 * segmentation_masks}), {@code input.masks} (a folder of {@code <stem>.png}) and {@code
 * augment.min_visibility}. Paths are resolved against the config's folder and must exist when the
 * config is loaded, so a wrong path fails before any data is read.
 *
 * <pre>{@code
 * input:
 *   manifest: images.csv
 *   annotations: {format: voc, path: Annotations, classes_file: class_names.txt}
 *   masks: SegmentationClassPNG
 * augment: {min_visibility: 0.3}
 * }</pre>
 *
 * @param format {@code voc}, {@code coco} or {@code labelme}; null without annotations
 * @param path the annotation folder (voc, labelme) or file (coco); null without annotations
 * @param classes the box classes, index = class id; empty without annotations
 * @param masks the mask folder, or null
 * @param minVisibility a box whose visible fraction after the transform falls below this is dropped
 * @param keypointFlipPairs keypoint names that trade left and right on a mirroring row ({@code
 *     annotations.keypoint_flip_pairs}); empty by default
 * @param segmentationMasks whether COCO {@code segmentation} polygons and RLE are rasterised into
 *     each image's mask ({@code annotations.segmentation_masks}); false by default
 */
public record TargetsConfig(
    String format,
    Path path,
    List<String> classes,
    Path masks,
    double minVisibility,
    List<List<String>> keypointFlipPairs,
    boolean segmentationMasks) {

  public static final List<String> FORMATS = List.of("voc", "coco", "labelme");

  /** No annotations, no masks. */
  public static final TargetsConfig NONE =
      new TargetsConfig(null, null, List.of(), null, 0.3, List.of(), false);

  public boolean annotations() {
    return format != null;
  }

  public boolean any() {
    return format != null || masks != null;
  }

  /** The same targets with {@code augment.min_visibility} set. */
  TargetsConfig withMinVisibility(double v) {
    return new TargetsConfig(format, path, classes, masks, v, keypointFlipPairs, segmentationMasks);
  }

  /**
   * Reads {@code annotations} and {@code masks} of {@code input} (min_visibility at its default).
   */
  static TargetsConfig parse(Section input, Path base) {
    double minVisibility = 0.3;
    String masksDir = input.optionalString("masks");
    Path masks = null;
    if (masksDir != null) {
      masks = base.resolve(masksDir).normalize();
      if (!Files.isDirectory(masks)) {
        throw new ConfigException(
            input.key("masks") + " = \"" + masksDir + "\" is not a folder (" + masks + ")");
      }
    }
    if (!input.has("annotations")) {
      input.section("annotations").finish();
      return new TargetsConfig(null, null, List.of(), masks, minVisibility, List.of(), false);
    }
    Section a = input.section("annotations");
    String format = a.choice("format", null, FORMATS);
    String rel = a.string("path", null);
    Path path = base.resolve(rel).normalize();
    boolean coco = format.equals("coco");
    if (coco ? !Files.isRegularFile(path) : !Files.isDirectory(path)) {
      throw new ConfigException(
          a.key("path")
              + " = \""
              + rel
              + "\" must be "
              + (coco ? "a COCO .json file" : "a folder of " + format + " files")
              + ", but "
              + path
              + (Files.exists(path) ? " is not one" : " does not exist"));
    }
    List<String> classes = a.strings("classes");
    String classesFile = a.optionalString("classes_file");
    if (classes.isEmpty() == (classesFile == null)) {
      throw new ConfigException(
          a.key("")
              + " needs exactly one of classes (a list of box class names, index = class id) or"
              + " classes_file (one name per line)");
    }
    if (classesFile != null) {
      Path file = base.resolve(classesFile).normalize();
      try {
        classes = Files.readAllLines(file).stream().map(String::strip).toList();
      } catch (IOException e) {
        throw new ConfigException(
            a.key("classes_file") + " = \"" + classesFile + "\" cannot be read: " + e);
      }
      int last = classes.size();
      while (last > 0 && classes.get(last - 1).isEmpty()) {
        last--;
      }
      classes = classes.subList(0, last);
      if (classes.isEmpty() || classes.contains("")) {
        throw new ConfigException(
            a.key("classes_file") + " = \"" + classesFile + "\" must list one name per line");
      }
    }
    if (classes.stream().distinct().count() != classes.size()) {
      throw new ConfigException(a.key("classes") + " = " + classes + " lists a class twice");
    }
    List<List<String>> flipPairs = a.stringTuples("keypoint_flip_pairs", 2);
    try {
      TargetWarp.flipPartners(flipPairs);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          a.key("keypoint_flip_pairs") + " = " + flipPairs + ": " + e.getMessage());
    }
    boolean segmentationMasks = a.bool("segmentation_masks", false);
    if (segmentationMasks && !coco) {
      throw new ConfigException(
          a.key("segmentation_masks")
              + " = true needs format coco (COCO segmentation polygons or RLE), but format is "
              + format);
    }
    if (segmentationMasks && masks != null) {
      throw new ConfigException(
          a.key("segmentation_masks")
              + " = true draws each image's mask from its COCO segmentation; "
              + input.key("masks")
              + " gives mask files too: use one or the other");
    }
    if (segmentationMasks && classes.size() > 256) {
      throw new ConfigException(
          a.key("segmentation_masks")
              + " = true writes class ids as uint8 mask values, but there are "
              + classes.size()
              + " classes (at most 256)");
    }
    a.finish();
    return new TargetsConfig(
        format,
        path,
        List.copyOf(classes),
        masks,
        minVisibility,
        List.copyOf(flipPairs),
        segmentationMasks);
  }

  /** Entries for the effective config ({@code input} part); empty without targets. */
  Map<String, Object> effectiveInput() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (format != null) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("format", format);
      a.put("classes", classes);
      // only when set, so configs without them keep their hash
      if (!keypointFlipPairs.isEmpty()) {
        a.put("keypoint_flip_pairs", keypointFlipPairs);
      }
      if (segmentationMasks) {
        a.put("segmentation_masks", true);
      }
      m.put("annotations", a);
    }
    if (masks != null) {
      m.put("masks", true);
    }
    return m;
  }
}
