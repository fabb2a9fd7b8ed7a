/**
 * BERT encoders rebuilt as TensorFlow Java graphs from the weights of ONNX exports bundled in
 * langchain4j's Maven Central jars ({@link io.streamguard.model.encoder.onnx.OnnxBertModel}):
 * {@code minilm-l6} (all-MiniLM-L6-v2, English: 6 layers, hidden 384, float32) and {@code bge-small-zh}
 * (bge-small-zh-v1.5, Chinese: 4 layers, hidden 512, int8 weights dequantized at load). Entry point:
 * {@link io.streamguard.model.encoder.onnx.OnnxBertEncoder}; {@code MiniLmTuner} fine-tunes MiniLM's adapters.
 */
package io.streamguard.model.encoder.onnx;
