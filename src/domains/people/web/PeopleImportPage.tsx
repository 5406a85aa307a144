import { ImportWizard } from '../../imports/web/ImportWizard.tsx';
import { peopleKeys } from './people.api.ts';

/** 批量导入人员: the importer for the people registry; imported people join the list at once. */
export function PeopleImportPage() {
  return <ImportWizard registry="people" listPath="/people" invalidates={peopleKeys.all} />;
}
