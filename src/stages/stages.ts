import type {Stage} from '../run/stage.js'
import {buildStage} from './build-stage.js'
import {extractStage} from './extract-stage.js'

/** Every stage, by name: a worker thread is told a command's stages by name (functions do not cross threads). */
const stages: ReadonlyMap<string, Stage> = new Map<string, Stage>([extractStage, buildStage].map((stage) => [stage.name, stage as Stage]))

/**
 * The stage of this name.
 *
 * @param name A stage's `name`.
 */
export function stageNamed(name: string): Stage {
  const stage = stages.get(name)
  if (!stage) throw new Error(`no stage is named "${name}"`)
  return stage
}
