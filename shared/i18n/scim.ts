/** Messages of the SCIM 2.0 server and SCIM provisioning: groups, role mapping (issue #4), merged into sharedMessages (index.ts). Top-level keys are this feature's own. */
export const scimMessages = {
  en: {
    scim: {
      group_not_found: 'This SCIM group no longer exists. The identity manager may have deleted it.',
      role_required: 'Choose a role for this group.',
      role_unknown: 'This role does not exist. Choose one from the list.',
      org_outside_tree: 'Choose the main organization or one of its sub-organizations.',
      retention_invalid: 'Enter a whole number of days from 1 to 3650, or switch automatic deletion off.',
    },
  },
  es: {
    scim: {
      group_not_found: 'Este grupo SCIM ya no existe. Es posible que el gestor de identidades lo haya eliminado.',
      role_required: 'Elija un rol para este grupo.',
      role_unknown: 'Este rol no existe. Elija uno de la lista.',
      org_outside_tree: 'Elija la organización principal o una de sus suborganizaciones.',
      retention_invalid: 'Introduzca un número entero de días entre 1 y 3650, o desactive la eliminación automática.',
    },
  },
  pt: {
    scim: {
      group_not_found: 'Este grupo SCIM já não existe. O gestor de identidades pode tê-lo eliminado.',
      role_required: 'Escolha uma função para este grupo.',
      role_unknown: 'Esta função não existe. Escolha uma da lista.',
      org_outside_tree: 'Escolha a organização principal ou uma das suas suborganizações.',
      retention_invalid: 'Introduza um número inteiro de dias entre 1 e 3650, ou desative a eliminação automática.',
    },
  },
} as const;
