"""Adds the TFLite metadata MediaPipe Tasks needs to MediaPipe's selfie segmentation model.

@mediapipe/selfie_segmentation ships selfie_segmentation_landscape.tflite (Apache-2.0) without
metadata; @mediapipe/tasks-vision's ImageSegmenter refuses a model without it. This writes the
input normalisation (pixels 0..255 to 0..1) and the one output label, nothing else: the weights
are unchanged.

    python add_metadata.py SOURCE.tflite OUT.tflite
"""

import os
import sys
import tempfile

from tflite_support.metadata_writers import image_segmenter, writer_utils


def main(source: str, out: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        labels = os.path.join(folder, "labels.txt")
        with open(labels, "w", encoding="utf-8") as f:
            f.write("person\n")
        writer = image_segmenter.MetadataWriter.create_for_inference(
            writer_utils.load_file(source), [0.0], [255.0], [labels]
        )
        writer_utils.save_file(writer.populate(), out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
