// `import EffSim` brings the whole library, layer by layer (Package.swift says which layer
// depends on which).
@_exported import EffSimCore
@_exported import EffSimModel
@_exported import EffSimResults
@_exported import EffSimSampling
