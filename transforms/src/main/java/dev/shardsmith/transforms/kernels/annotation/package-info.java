/**
 * Plain-Java readers of annotation files (Pascal VOC XML, COCO JSON, labelme JSON) and paired label
 * masks, into {@link dev.shardsmith.schemas.Targets}. No Beam, no OpenCV.
 */
package dev.shardsmith.transforms.kernels.annotation;
