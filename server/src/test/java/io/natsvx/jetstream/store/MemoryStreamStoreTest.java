package io.natsvx.jetstream.store;

class MemoryStreamStoreTest extends StreamStoreContractTest {

  @Override
  protected StreamStore open() {
    return IndexedStreamStore.inMemory();
  }
}
