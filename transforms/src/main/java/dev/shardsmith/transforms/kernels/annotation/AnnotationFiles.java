package dev.shardsmith.transforms.kernels.annotation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardsmith.schemas.Targets;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Parses annotation files into {@link ImageAnnotation}s, in continuous pixel coordinates (pixel
 * {@code i} covers {@code [i, i + 1)}):
 *
 * <ul>
 *   <li>{@link #voc Pascal VOC XML} (one file per image): {@code object/bndbox} gives 1-based
 *       inclusive pixel indices, so a box {@code xmin..xmax} covers {@code [xmin - 1, xmax]}: x_min
 *       and y_min are shifted by -1, x_max and y_max kept. {@code difficult = 1} sets {@link
 *       Targets#DIFFICULT}. The image is {@code filename}, else the XML file's own stem.
 *   <li>{@link #coco COCO JSON} (one file for many images): {@code bbox = [x, y, w, h]} is already
 *       continuous, so the box is {@code [x, y, x + w, y + h]}; {@code iscrowd = 1} sets {@link
 *       Targets#CROWD}. {@code keypoints} triples {@code x y v} are pixel indices, so a labelled
 *       point ({@code v > 0}) moves to its pixel's centre ({@code + 0.5}, as Detectron2 does);
 *       names come from the category's {@code keypoints} list. {@code segmentation} (polygons,
 *       uncompressed RLE) becomes a mask only when asked ({@link SegmentationMasks}).
 *   <li>{@link #labelme labelme JSON} (one file per image): {@code shapes} of type {@code
 *       rectangle} (two corners, any order) become boxes, {@code polygon} becomes the box that
 *       bounds its points, {@code point} becomes a keypoint named by its label (visibility 2).
 *       Coordinates are used as they are (labelme's are continuous). Any other shape type ({@code
 *       circle}, {@code line}, ...) is an error. The image is {@code imagePath}.
 * </ul>
 *
 * <p>Every box class must be in {@code classes} (its index there is the box's class id). A file
 * that does not parse, or an image's annotation with an unknown class, a box of negative or zero
 * size or a non-finite value, becomes an {@link ImageAnnotation} with an error, never a silent
 * skip. Pure and deterministic; the XML parser refuses DTDs and external entities.
 *
 * <pre>{@code
 * List<ImageAnnotation> a = AnnotationFiles.parse("voc", bytes, "Annotations/x.xml", classes);
 * }</pre>
 */
public final class AnnotationFiles {
  private AnnotationFiles() {}

  /** The formats {@link #parse} reads. */
  public static final List<String> FORMATS = List.of("voc", "coco", "labelme");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Parses one file of {@code format} ({@code voc}, {@code coco} or {@code labelme}). */
  public static List<ImageAnnotation> parse(
      String format, byte[] file, String source, List<String> classes) {
    return parse(format, file, source, classes, false);
  }

  /**
   * As {@link #parse(String, byte[], String, List)}; {@code segmentationMasks} draws COCO
   * segmentation into mask files ({@link #coco(byte[], String, List, boolean)}; {@code coco} only).
   */
  public static List<ImageAnnotation> parse(
      String format, byte[] file, String source, List<String> classes, boolean segmentationMasks) {
    if (segmentationMasks && !format.equals("coco")) {
      throw new IllegalArgumentException(
          "segmentation masks are drawn from COCO files only, not " + format);
    }
    switch (format) {
      case "voc":
        return List.of(voc(file, source, classes));
      case "coco":
        return coco(file, source, classes, segmentationMasks);
      case "labelme":
        return List.of(labelme(file, source, classes));
      default:
        throw new IllegalArgumentException("format must be one of " + FORMATS + ", was " + format);
    }
  }

  /** The stem of an image path: no folders (either slash), no extension. */
  public static String stem(String path) {
    String name = path.replace('\\', '/');
    name = name.substring(name.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /** The file name extension of {@code format}'s per-image files, or null for one-file formats. */
  public static String extension(String format) {
    return switch (format) {
      case "voc" -> ".xml";
      case "labelme" -> ".json";
      default -> null;
    };
  }

  // ---- Pascal VOC ----

  /** One VOC XML file. */
  public static ImageAnnotation voc(byte[] xml, String source, List<String> classes) {
    String stem = stem(source);
    try {
      Element root = parseXml(xml).getDocumentElement();
      if (!"annotation".equals(root.getTagName())) {
        throw new BadAnnotationException(
            "root element is <" + root.getTagName() + ">, not <annotation>");
      }
      String filename = text(root, "filename");
      if (filename != null && !filename.isBlank()) {
        stem = stem(filename.trim());
      }
      int w = 0;
      int h = 0;
      Element size = child(root, "size");
      if (size != null) {
        w = (int) number(size, "width", "size");
        h = (int) number(size, "height", "size");
      }
      ImageAnnotation.Builder b = new ImageAnnotation.Builder(classes);
      NodeList objects = root.getChildNodes();
      int k = 0;
      for (int i = 0; i < objects.getLength(); i++) {
        if (!(objects.item(i) instanceof Element o) || !o.getTagName().equals("object")) {
          continue;
        }
        String where = "object " + k++;
        String name = text(o, "name");
        if (name == null || name.isBlank()) {
          throw new BadAnnotationException(where + " has no <name>");
        }
        Element bb = child(o, "bndbox");
        if (bb == null) {
          throw new BadAnnotationException(where + " (" + name.trim() + ") has no <bndbox>");
        }
        String difficult = text(o, "difficult");
        byte flag = difficult != null && difficult.trim().equals("1") ? Targets.DIFFICULT : 0;
        // VOC: 1-based inclusive pixel indices -> continuous [xmin - 1, xmax]
        b.box(
            name.trim(),
            number(bb, "xmin", where) - 1,
            number(bb, "ymin", where) - 1,
            number(bb, "xmax", where),
            number(bb, "ymax", where),
            flag);
      }
      return ImageAnnotation.ok(stem, source, w, h, b.build());
    } catch (BadAnnotationException e) {
      return ImageAnnotation.failed(stem, source, e.getMessage());
    }
  }

  private static Document parseXml(byte[] xml) throws BadAnnotationException {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setExpandEntityReferences(false);
      DocumentBuilder db = f.newDocumentBuilder();
      db.setErrorHandler(null);
      return db.parse(new ByteArrayInputStream(xml));
    } catch (SAXException | IOException e) {
      throw new BadAnnotationException("not well-formed XML: " + e.getMessage());
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Element child(Element e, String tag) {
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c && c.getTagName().equals(tag)) {
        return c;
      }
    }
    return null;
  }

  private static String text(Element e, String tag) {
    Element c = child(e, tag);
    return c == null ? null : c.getTextContent();
  }

  private static double number(Element e, String tag, String where) throws BadAnnotationException {
    String t = text(e, tag);
    if (t == null || t.isBlank()) {
      throw new BadAnnotationException(where + " has no <" + tag + ">");
    }
    try {
      return Double.parseDouble(t.trim());
    } catch (NumberFormatException x) {
      throw new BadAnnotationException(
          where + " <" + tag + "> is \"" + t.trim() + "\", not a number");
    }
  }

  // ---- COCO ----

  /** One COCO JSON file: an annotation per entry of {@code images}; segmentation is ignored. */
  public static List<ImageAnnotation> coco(byte[] json, String source, List<String> classes) {
    return coco(json, source, classes, false);
  }

  /**
   * One COCO JSON file; with {@code segmentationMasks}, each image also gets a mask file (an 8-bit
   * gray PNG, {@link Targets#maskFile}) drawn from its annotations' {@code segmentation} by {@link
   * SegmentationMasks}: value = the annotation's class id (its index in {@code classes}), 0 where
   * no annotation covers, the later annotation winning where they overlap. The image must declare
   * {@code width} and {@code height}; a segmented annotation's class id must be 1 .. 255 (0 is the
   * background, as in VOC's class lists that start with {@code _background_}).
   */
  public static List<ImageAnnotation> coco(
      byte[] json, String source, List<String> classes, boolean segmentationMasks) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      return List.of(ImageAnnotation.failed(null, source, "not valid JSON: " + e.getMessage()));
    }
    if (root == null
        || !root.path("images").isArray()
        || !root.path("annotations").isArray()
        || !root.path("categories").isArray()) {
      return List.of(
          ImageAnnotation.failed(
              null, source, "a COCO file needs the arrays images, annotations and categories"));
    }
    Map<Long, JsonNode> categories = new HashMap<>();
    for (JsonNode c : root.get("categories")) {
      if (!c.path("id").canConvertToLong() || !c.path("name").isTextual()) {
        return List.of(
            ImageAnnotation.failed(null, source, "category " + c + " needs an id and a name"));
      }
      categories.put(c.get("id").asLong(), c);
    }
    Map<Long, List<JsonNode>> byImage = new LinkedHashMap<>();
    Map<Long, JsonNode> images = new LinkedHashMap<>();
    List<ImageAnnotation> out = new ArrayList<>();
    for (JsonNode im : root.get("images")) {
      if (!im.path("id").canConvertToLong() || !im.path("file_name").isTextual()) {
        out.add(
            ImageAnnotation.failed(null, source, "image " + im + " needs an id and a file_name"));
        continue;
      }
      images.put(im.get("id").asLong(), im);
      byImage.put(im.get("id").asLong(), new ArrayList<>());
    }
    for (JsonNode a : root.get("annotations")) {
      List<JsonNode> list = byImage.get(a.path("image_id").asLong(Long.MIN_VALUE));
      if (list == null) {
        out.add(
            ImageAnnotation.failed(
                null,
                source,
                "annotation id "
                    + a.path("id")
                    + " refers to image_id "
                    + a.path("image_id")
                    + ", which is not in images"));
        continue;
      }
      list.add(a);
    }
    for (Map.Entry<Long, JsonNode> e : images.entrySet()) {
      JsonNode im = e.getValue();
      String stem = stem(im.get("file_name").asText());
      String where = source + " image " + e.getKey();
      try {
        ImageAnnotation.Builder b = new ImageAnnotation.Builder(classes);
        int w = im.path("width").asInt(0);
        int h = im.path("height").asInt(0);
        byte[] mask = null;
        if (segmentationMasks) {
          if (w <= 0 || h <= 0 || (long) w * h > Integer.MAX_VALUE) {
            throw new BadAnnotationException(
                "segmentation masks need the image's width and height, but it declares "
                    + im.path("width")
                    + " x "
                    + im.path("height"));
          }
          mask = new byte[w * h];
        }
        for (JsonNode a : byImage.get(e.getKey())) {
          JsonNode cat = categories.get(a.path("category_id").asLong(Long.MIN_VALUE));
          if (cat == null) {
            throw new BadAnnotationException(
                "annotation id " + a.path("id") + " has an unknown category_id");
          }
          JsonNode seg = a.path("segmentation");
          if (mask != null && !seg.isMissingNode() && !seg.isNull() && !seg.isEmpty()) {
            String name = cat.get("name").asText();
            int id = classes.indexOf(name);
            if (id < 1 || id > 255) {
              throw new BadAnnotationException(
                  "annotation id "
                      + a.path("id")
                      + " has class \""
                      + name
                      + "\", "
                      + (id < 0
                          ? "which is not in input.annotations.classes " + classes
                          : "class id "
                              + id
                              + "; a mask value must be 1 .. 255 (0 is background)"));
            }
            try {
              SegmentationMasks.draw(seg, id, mask, w, h);
            } catch (BadAnnotationException x) {
              throw new BadAnnotationException(
                  "annotation id " + a.path("id") + " " + x.getMessage());
            }
          }
          JsonNode bbox = a.path("bbox");
          if (bbox.isArray() && bbox.size() > 0) {
            if (bbox.size() != 4 || !allNumbers(bbox)) {
              throw new BadAnnotationException(
                  "annotation id " + a.path("id") + " bbox " + bbox + " is not [x, y, w, h]");
            }
            double x = bbox.get(0).asDouble();
            double y = bbox.get(1).asDouble();
            byte flag = a.path("iscrowd").asInt(0) == 1 ? Targets.CROWD : 0;
            b.box(
                cat.get("name").asText(),
                x,
                y,
                x + bbox.get(2).asDouble(),
                y + bbox.get(3).asDouble(),
                flag);
          }
          JsonNode kp = a.path("keypoints");
          if (kp.isArray() && kp.size() > 0) {
            if (kp.size() % 3 != 0 || !allNumbers(kp)) {
              throw new BadAnnotationException(
                  "annotation id " + a.path("id") + " keypoints are not x, y, v triples");
            }
            JsonNode names = cat.path("keypoints");
            for (int i = 0; i < kp.size() / 3; i++) {
              int v = kp.get(3 * i + 2).asInt();
              double shift = v > 0 ? 0.5 : 0; // pixel index -> pixel centre
              b.keypoint(
                  names.has(i) ? names.get(i).asText() : "",
                  kp.get(3 * i).asDouble() + shift,
                  kp.get(3 * i + 1).asDouble() + shift,
                  v);
            }
          }
        }
        Targets t = b.build();
        if (mask != null) {
          t = t.withMaskFile(SegmentationMasks.png(mask, w, h));
        }
        out.add(ImageAnnotation.ok(stem, source, w, h, t));
      } catch (BadAnnotationException x) {
        out.add(ImageAnnotation.failed(stem, where, x.getMessage()));
      }
    }
    return out;
  }

  private static boolean allNumbers(JsonNode arr) {
    for (JsonNode n : arr) {
      if (!n.isNumber()) {
        return false;
      }
    }
    return true;
  }

  // ---- labelme ----

  private static final Set<String> LABELME_TYPES = Set.of("rectangle", "polygon", "point");

  /** One labelme JSON file. */
  public static ImageAnnotation labelme(byte[] json, String source, List<String> classes) {
    String stem = stem(source);
    try {
      JsonNode root;
      try {
        root = JSON.readTree(json);
      } catch (IOException e) {
        throw new BadAnnotationException("not valid JSON: " + e.getMessage());
      }
      if (root == null || !root.path("shapes").isArray()) {
        throw new BadAnnotationException("a labelme file needs a shapes array");
      }
      if (root.path("imagePath").isTextual()) {
        stem = stem(root.get("imagePath").asText());
      }
      ImageAnnotation.Builder b = new ImageAnnotation.Builder(classes);
      int i = 0;
      for (JsonNode s : root.get("shapes")) {
        String where = "shape " + i++;
        String type = s.path("shape_type").asText("polygon").toLowerCase(Locale.ROOT);
        String label = s.path("label").asText(null);
        if (label == null) {
          throw new BadAnnotationException(where + " has no label");
        }
        if (!LABELME_TYPES.contains(type)) {
          throw new BadAnnotationException(
              where
                  + " ("
                  + label
                  + ") has shape_type \""
                  + type
                  + "\"; allowed: rectangle, polygon, point");
        }
        JsonNode pts = s.path("points");
        int need = type.equals("point") ? 1 : type.equals("rectangle") ? 2 : 3;
        if (!pts.isArray() || (type.equals("polygon") ? pts.size() < need : pts.size() != need)) {
          throw new BadAnnotationException(
              where + " (" + label + ", " + type + ") needs " + need + " points, has " + pts);
        }
        double minX = Double.POSITIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (JsonNode p : pts) {
          if (!p.isArray() || p.size() != 2 || !allNumbers(p)) {
            throw new BadAnnotationException(where + " (" + label + ") has a bad point " + p);
          }
          minX = Math.min(minX, p.get(0).asDouble());
          minY = Math.min(minY, p.get(1).asDouble());
          maxX = Math.max(maxX, p.get(0).asDouble());
          maxY = Math.max(maxY, p.get(1).asDouble());
        }
        if (type.equals("point")) {
          b.keypoint(label, minX, minY, 2);
        } else {
          b.box(label, minX, minY, maxX, maxY, (byte) 0);
        }
      }
      return ImageAnnotation.ok(
          stem,
          source,
          root.path("imageWidth").asInt(0),
          root.path("imageHeight").asInt(0),
          b.build());
    } catch (BadAnnotationException e) {
      return ImageAnnotation.failed(stem, source, e.getMessage());
    }
  }
}
