import { bool, defineMessage, str } from '../message.ts';

/** MLflow's basic-auth API (`mlflow/server/auth/routes.py`): users and per-user permissions. */
export const CreateUser = defineMessage({ username: str(), password: str() });
export const Username = defineMessage({ username: str() });
export const UpdateUserPassword = defineMessage({ username: str(), password: str() });
export const UpdateUserAdmin = defineMessage({ username: str(), is_admin: bool() });
export const ExperimentPermission = defineMessage({ experiment_id: str(), username: str(), permission: str() });
export const ExperimentPermissionKey = defineMessage({ experiment_id: str(), username: str() });
export const ModelPermission = defineMessage({ name: str(), username: str(), permission: str() });
export const ModelPermissionKey = defineMessage({ name: str(), username: str() });

export interface ExperimentPermissionJson {
  experiment_id: string;
  user_id: number;
  permission: string;
}

export interface RegisteredModelPermissionJson {
  name: string;
  user_id: number;
  permission: string;
}

/** `users/get` and `users/create` answer `{ user: UserJson }`. */
export interface UserJson {
  id: number;
  username: string;
  is_admin: boolean;
  experiment_permissions: ExperimentPermissionJson[];
  registered_model_permissions: RegisteredModelPermissionJson[];
}
