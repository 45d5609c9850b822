import { Router } from 'express';
import {
  AMIF_LUMP_SUM_EUR,
  HOST_COUNTRIES,
  PARTICIPANTS,
  TARGET_GROUPS,
  UNHCR_REGIONS,
  mayPledge,
} from '../../domain/reference';

/** Public reference data: no token needed. */
export function referenceRoutes(): Router {
  const router = Router();
  const memberStates = PARTICIPANTS.map((participant) => ({
    code: participant.code,
    name: participant.name,
    kind: participant.kind,
    participation: participant.participation,
    aliases: participant.aliases,
    mayPledge: mayPledge(participant),
  }));
  router.get('/member-states', (_request, response) => {
    response.json({ memberStates });
  });
  router.get('/host-countries', (_request, response) => {
    response.json({ hostCountries: HOST_COUNTRIES });
  });
  router.get('/regions', (_request, response) => {
    response.json({ regions: UNHCR_REGIONS });
  });
  router.get('/target-groups', (_request, response) => {
    response.json({ targetGroups: TARGET_GROUPS });
  });
  router.get('/amif-lump-sums', (_request, response) => {
    response.json({ currency: 'EUR', perPerson: AMIF_LUMP_SUM_EUR });
  });
  return router;
}
