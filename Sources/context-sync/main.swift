import ContextSyncCore
print(ContextSyncVersion.string, GitLibrary.version)
